import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS } from '../drivers/boot-app.ts';
import { runShell } from '../drivers/shell-driver.ts';

/**
 * Issue 9 §3 from outside: the bot process refuses to start in HTTP or Socket Mode on a config
 * with the typos that used to load as "no approval needed", listing every problem; an explicit
 * `requires_approval: false` on production boots, but is logged and shown by flag status and help.
 */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TYPO_CONFIG = `environments:
  - name: production
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    base_url: https://capecraft.herokuapp.com
    produciton: true
    requires_aproval: true
    deploy_channel: deploys
roles:
  users: { ana: operator }
`;

describe('the bot refuses to start on a config error', () => {
  it.each([
    ['HTTP', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' }],
    ['Socket Mode', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-x' }],
  ])(
    '%s: exit 2, every problem listed with its key',
    async (_mode, slack) => {
      const path = join(dir, 'typo.yml');
      writeFileSync(path, TYPO_CONFIG);
      const r = await runShell([], { ...slack, AUTORISEN_CONFIG: path, PORT: '0', SQLITE_PATH: join(dir, 'x.db') });
      expect(r.code).toBe(2);
      for (const line of [
        'environments[0].produciton: unknown key; did you mean "production"?',
        'environments[0].requires_aproval: unknown key; did you mean "requires_approval"?',
        'environments[0].deploy_channel: expected a Slack channel id',
        'roles.users.ana: expected a Slack user id',
      ])
        expect(r.err).toContain(line);
    },
    30_000,
  );

  it('the shell sandbox with the example config still opens', async () => {
    const r = await runShell(['/autorisen flag status'], { SQLITE_PATH: join(dir, 'shell.db') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/FEATURE_AUTORISEN/);
  }, 30_000);
});

describe('a production gate waived in the config is said out loud (signed HTTP)', () => {
  it('logged at boot as a warning, shown by flag status and help', async () => {
    const yaml = defaultConfigYaml().replace(
      '    production: true\n',
      '    production: true\n    requires_approval: false\n',
    );
    const b = await bootApp({ configYaml: yaml });
    try {
      expect(b.logs).toContainEqual(
        expect.objectContaining({
          level: 40,
          env: 'production',
          msg: expect.stringContaining('requires_approval: false'),
        }),
      );
      for (const text of ['flag status', 'help']) {
        const res = await b.driver.command(text, { userId: USERS.vic, channelId: 'CROLLOUT' });
        expect(String((await b.slack.answerTo(res)).text), text).toContain(
          "The config waives approval on production environment production (`requires_approval: false`): flag on, deploys and rollbacks there run without a second person's approval.",
        );
      }
    } finally {
      await b.stop();
    }
  });
});
