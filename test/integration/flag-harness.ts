import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { loadConfig } from '../../src/config.ts';
import { Registry } from '../../src/core/registry.ts';
import type { Message } from '../../src/core/message.ts';
import { createLogger } from '../../src/log.ts';
import type { Ports } from '../../src/services/context.ts';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { CommandDispatcher } from '../../src/services/dispatch/dispatcher.ts';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from '../../commands/flag.ts';
import { help } from '../../commands/help.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { RecordingChat, recordingResponder } from '../support/recording-chat.ts';
import { TestClock, sequentialIds } from '../support/test-clock.ts';
import type { OpenedStore, TestDatabase } from '../support/test-databases.ts';

/**
 * The flag command wired the way the app wires it, minus Slack: the real dispatcher, approvals
 * service and store, the real Heroku adapter pointed at the fake Heroku API. Fast enough to run every
 * case on SQLite and PostgreSQL; test/integration/flag-http.test.ts covers the signed-HTTP path.
 */
export const FLAG_CONFIG = loadConfig(
  {},
  () => `
environments:
  - { name: staging, aliases: [stg], heroku_app: autorisen, github_repo: o/r, base_url: "http://127.0.0.1:1" }
  - { name: production, aliases: [prod], heroku_app: capecraft, github_repo: o/r, base_url: "http://127.0.0.1:1", production: true }
roles:
  users: { UANA: operator, UBEN: operator, UCY: operator, UVIC: viewer }
approvals: { ttl_minutes: 30 }
`,
);

export interface FlagHarness {
  fake: FakeHeroku;
  opened: OpenedStore;
  chat: RecordingChat;
  dispatcher: CommandDispatcher;
  /** Type `/autorisen <text>` as `userId`; the ack (if any) and every reply. */
  run(userId: string, text: string): Promise<{ ack: Message | null; replies: Message[]; text: string }>;
  click(userId: string, actionId: string, value: string): Promise<Message[]>;
  /** The id on the newest approval message's Approve button. */
  pendingApprovalId(): string;
  cleanup(): Promise<void>;
}

let seq = 0;

/** Start a fake Heroku with both apps (flag "false") and a dispatcher on a fresh database. */
export async function startFlagHarness(engine: TestDatabase): Promise<FlagHarness> {
  const fake = await startFakeHeroku({
    apps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false', DATABASE_URL: 'postgres://x' } },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'false', DATABASE_URL: 'postgres://y' } },
    ],
  });
  const opened = await engine.open();
  const heroku = createHerokuAdapter(
    { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl },
    { environments: FLAG_CONFIG.environments, timeoutMs: 500 },
  );
  const registry = new Registry([help, flagStatusCommand, flagOnCommand, flagOffCommand]);
  const notWired = new Proxy(
    {},
    {
      get: (_t, p) =>
        p === 'then'
          ? undefined
          : async () => {
              throw new Error('deploys are not wired in the flag harness');
            },
    },
  );
  const ports = {
    environments: FLAG_CONFIG.environments,
    heroku,
    github: notWired,
    specDiff: notWired,
    deploys: notWired,
    store: opened.store,
    clock: new TestClock(),
    ids: sequentialIds(`f${++seq}`),
    catalog: registry.commands,
  } as unknown as Ports;
  const chat = new RecordingChat();
  const log = createLogger({ ...FLAG_CONFIG, logLevel: 'silent' });
  const dispatcher = new CommandDispatcher({
    config: FLAG_CONFIG,
    registry,
    ports,
    chat,
    directory: { groupsOf: async () => [] },
    log,
  });
  let n = 0;
  return {
    fake,
    opened,
    chat,
    dispatcher,
    async run(userId, text) {
      const responder = recordingResponder();
      const d = await dispatcher.command({ userId, channelId: 'CROLL', text, correlationId: `c${++n}`, responder });
      await d.done;
      const all = [...(d.ack ? [d.ack] : []), ...responder.replies];
      return { ack: d.ack, replies: responder.replies, text: all.map((m) => m.text).join('\n') };
    },
    async click(userId, actionId, value) {
      const responder = recordingResponder();
      const d = await dispatcher.action({
        actionId,
        value,
        userId,
        channelId: 'CROLL',
        messageTs: null,
        correlationId: `k${++n}`,
        responder,
      });
      await d.done;
      return responder.replies;
    },
    pendingApprovalId() {
      const post = [...chat.posts].reverse().find((p) => p.message.buttons?.some((b) => b.actionId === APPROVE_ACTION));
      if (!post) throw new Error('no approval message was posted');
      return post.message.buttons!.find((b) => b.actionId === APPROVE_ACTION)!.value;
    },
    async cleanup() {
      await fake.close();
      await opened.cleanup();
    },
  };
}
