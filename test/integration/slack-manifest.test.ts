import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allCommands as commands } from '../../src/catalog.ts';
import { SLASH_COMMAND } from '../../src/adapters/slack/listeners.ts';
import { Registry } from '../../src/core/registry.ts';
import { createSlackTransport, type SlackTransport } from '../../src/adapters/slack/transport.ts';
import { loadConfig } from '../../src/config.ts';
import type { ActionRequest, CommandRequest, Dispatch, Dispatcher } from '../../src/core/transport.ts';
import { createLogger } from '../../src/log.ts';
import { SlackDriver } from '../drivers/slack-driver.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

/**
 * The scope each Slack Web API method needs (Slack's method reference, docs.slack.dev/reference/methods).
 * Only the table of facts is written here; which methods the bot calls is scanned from the code.
 */
const SCOPE_OF_METHOD: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'conversations.open': ['im:write'],
  'auth.test': [],
  // Slack's method pages list no scope for these (views.publish needs only the Home tab enabled;
  // views.open "Bot tokens: No scope required", docs.slack.dev/reference/methods/views.open).
  'chat.getPermalink': [],
  'views.publish': [],
  'views.open': [],
};

/** Every `client.<family>.<method>(` / `apiCall('<method>'` in src/: the Slack methods the bot calls. */
function slackMethodsCalled(): string[] {
  const root = new URL('../../src/', import.meta.url).pathname;
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, d.name);
      if (d.isDirectory()) walk(path);
      else if (d.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(
          /\bclient\.((?:[a-z]+\.)+[a-zA-Z0-9]+)\(|\bapiCall\(\s*['"]([a-zA-Z.]+)['"]/g,
        ))
          found.add((m[1] ?? m[2])!);
    }
  };
  walk(root);
  return [...found].sort();
}

interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    slash_commands: { command: string; url: string; usage_hint: string; description: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;
const SECRET = 'manifest-test-secret-0123';

/** Records what reached it; acks empty. */
class RecordingDispatcher implements Dispatcher {
  readonly seen: (CommandRequest | ActionRequest)[] = [];
  async command(req: CommandRequest): Promise<Dispatch> {
    this.seen.push(req);
    return { ack: null, done: Promise.resolve() };
  }
  async action(req: ActionRequest): Promise<Dispatch> {
    this.seen.push(req);
    return { ack: null, done: Promise.resolve() };
  }
}

describe('manifest.yml', () => {
  let fake: FakeSlackApi;
  let transport: SlackTransport;
  let baseUrl: string;
  const dispatcher = new RecordingDispatcher();

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    const config = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-m', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' },
      () => null,
    );
    const logger = createLogger({ ...config, logLevel: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));
    transport = createSlackTransport({ config, dispatcher, logger, isHealthy: async () => true });
    baseUrl = (await transport.start()).url;
  });
  afterAll(async () => {
    await transport.stop();
    await fake.close();
  });

  const pathOf = (url: string) => new URL(url.replace('<your-app>', 'your-app')).pathname;

  it('declares the one slash command the transport listens for; its hint points to help and lists no commands', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    // The commands are listed by `help` from the registry; a list in the hint would be a second one to keep.
    const hint = manifest.features.slash_commands[0]!.usage_hint;
    const registry = new Registry(commands);
    const named = hint.split(/\s+/).filter((w) => registry.get(w) !== undefined);
    expect(named).toEqual(['help']);
    expect(registry.get('help')).toBeDefined();
  });

  it('escapes mentions, so `audit --user @ana` arrives as <@U…|ana> (src/core/mentions.ts)', () => {
    expect(manifest.features.slash_commands[0]!.should_escape).toBe(true);
  });

  it('asks for exactly the scopes of the Slack methods the code calls (scanned from src/), plus commands', () => {
    const called = slackMethodsCalled();
    expect(called.length).toBeGreaterThan(0);
    const unknown = called.filter((m) => !(m in SCOPE_OF_METHOD));
    expect(unknown, 'add these methods and their scope to SCOPE_OF_METHOD').toEqual([]);
    const needed = new Set(['commands', ...called.flatMap((m) => SCOPE_OF_METHOD[m]!)]);
    // chat:write.public lets chat.postMessage reach configured channels the bot was never invited to.
    if (called.includes('chat.postMessage')) needed.add('chat:write.public');
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
  });

  it('uses HTTP mode with interactivity on, and a long description Slack accepts (174-4000 chars)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const len = manifest.display_information.long_description?.length ?? 0;
    expect(len).toBeGreaterThanOrEqual(174);
    expect(len).toBeLessThanOrEqual(4000);
  });

  it('has only request URLs whose path answers a signed Slack request', async () => {
    const urls: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && /^https?:\/\//.test(v)) urls.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(manifest);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      const driver = new SlackDriver({ baseUrl, signingSecret: SECRET, responseBase: fake.url, path: pathOf(url) });
      expect((await driver.command('help')).status, url).toBe(200);
    }
  });

  it('points the slash command URL at a path that accepts signed commands', async () => {
    const path = pathOf(manifest.features.slash_commands[0]!.url);
    const driver = new SlackDriver({ baseUrl, signingSecret: SECRET, responseBase: fake.url, path });
    const res = await driver.command('help');
    expect(res.status).toBe(200);
    expect(dispatcher.seen.some((r) => 'text' in r && r.text === 'help')).toBe(true);
  });

  it('points the interactivity URL at a path that accepts signed button clicks', async () => {
    const path = pathOf(manifest.settings.interactivity.request_url);
    const driver = new SlackDriver({ baseUrl, signingSecret: SECRET, responseBase: fake.url, path });
    const res = await driver.click({ actionId: 'autorisen:approve', value: 'm-1' });
    expect(res.status).toBe(200);
    expect(dispatcher.seen.some((r) => 'actionId' in r && r.value === 'm-1')).toBe(true);
  });
});
