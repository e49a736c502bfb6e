import { afterEach, describe, expect, it } from 'vitest';
import { BOT_TOKEN, bootApp, type BootedApp, defaultConfigYaml, USERS } from '../drivers/boot-app.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

const GROUP = 'S0OPS0001';
const STRANGER = 'USTRANGER9';
const GROUPED = 'UGROUPED07';

/**
 * `/autorisen whoami` over signed Slack HTTP: the caller's role and where it comes from (their own
 * entry under roles.users, a user group's entry under roles.groups read through usergroups.list,
 * or roles.default), answered in the ack.
 */
describe('/autorisen whoami', () => {
  let b: BootedApp;
  afterEach(async () => b?.stop());

  async function whoami(userId: string): Promise<string> {
    const res = await b.driver.command('whoami', { userId, channelId: 'CROLLOUT' });
    expect(res.status).toBe(200);
    const acked = (res.json as { text?: unknown } | null)?.text;
    if (typeof acked === 'string') return acked;
    const [reply] = await b.slack.waitForResponses(1, res.responseId);
    return String(reply!.body.text);
  }

  it('names the entry the role comes from: own entry, user group, default', async () => {
    const slack = await FakeSlackApi.start({
      token: BOT_TOKEN,
      usergroups: [{ id: GROUP, handle: 'ops', name: 'Ops', users: [GROUPED] }],
    });
    const yaml = defaultConfigYaml().replace('roles:\n', `roles:\n  groups:\n    ${GROUP}: admin\n`);
    b = await bootApp({ slack, configYaml: yaml });

    expect(await whoami(USERS.ana)).toBe(
      `<@${USERS.ana}>: you are an operator, from your own entry in the config (\`roles.users.${USERS.ana}\`).`,
    );
    expect(await whoami(GROUPED)).toBe(
      `<@${GROUPED}>: you are an admin, from the user group <!subteam^${GROUP}> (\`roles.groups.${GROUP}\`).`,
    );
    expect(await whoami(STRANGER)).toContain(`<@${STRANGER}>: you are a viewer, from the default (\`roles.default\`)`);
    await slack.close();
  });

  it('is listed by help for every role', async () => {
    b = await bootApp();
    const res = await b.driver.command('help', { userId: USERS.vic, channelId: 'CROLLOUT' });
    const text = JSON.stringify(res.json ?? (await b.slack.waitForResponses(1, res.responseId))[0]!.body);
    expect(text).toContain('/autorisen whoami');
  });
});
