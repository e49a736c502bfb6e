import { afterEach, describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../src/ports/command.ts';
import { Registry } from '../../src/core/registry.ts';
import { help } from '../../commands/help.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/services/approvals/message.ts';
import { CommandDispatcher } from '../../src/services/dispatch/dispatcher.ts';
import type { Store } from '../../src/ports/store.ts';
import { createLogger } from '../../src/log.ts';
import { loadConfig } from '../../src/config.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';
import { TestClock, sequentialIds } from '../support/test-clock.ts';
import { RecordingChat, recordingResponder } from '../support/recording-chat.ts';
import { unconfiguredGitHub, unconfiguredHeroku } from '../../src/adapters/unconfigured.ts';
import { createSpecSource } from '../../src/adapters/openapi/spec-source.ts';

/** The outside world the test command changes: a counter per environment. */
class World {
  value = 0;
  executions = 0;
}

/** A real action command that needs approval in production and counts its executions. */
function bumpCommand(world: World): ActionCommand<{ env: string }> {
  return {
    kind: 'action',
    name: 'bump',
    summary: 'Add one to the counter',
    usage: 'bump <env>',
    examples: ['bump production'],
    permission: 'operator',
    approval: (_input, env) => env?.requiresApproval === true,
    envOf: (i) => i.env,
    maxPositionals: 1,
    parse: (args) =>
      args.positional[0]
        ? { ok: true, input: { env: args.positional[0] } }
        : { ok: false, error: 'Which environment?' },
    async plan(input) {
      // Simulates a small external read so two concurrent executions would really overlap.
      await new Promise((r) => setTimeout(r, 5));
      return {
        title: `Bump ${input.env} from ${world.value} to ${world.value + 1}`,
        lines: [`counter ${world.value} → ${world.value + 1}`],
        warnings: [],
        env: input.env,
        data: { from: world.value },
        fingerprint: String(world.value),
      };
    },
    async execute(plan) {
      world.executions++;
      await new Promise((r) => setTimeout(r, 5));
      world.value = (plan.data as { from: number }).from + 1;
      return { ok: true, message: { text: `Bumped to ${world.value}` }, summary: `bumped to ${world.value}` };
    },
  };
}

const config = loadConfig(
  {},
  () => `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: o/r, base_url: "http://127.0.0.1:1" }
  - { name: production, heroku_app: capecraft, github_repo: o/r, base_url: "http://127.0.0.1:1", production: true }
roles:
  users: { UANA: operator, UBEN: operator, UCY: operator, UVIC: viewer }
approvals: { ttl_minutes: 30 }
`,
);
const log = createLogger({ ...config, logLevel: 'silent' });

function dispatcherOn(store: Store, world: World, clock: TestClock, chat = new RecordingChat()) {
  const registry = new Registry([help, bumpCommand(world)]);
  const ports = {
    environments: config.environments,
    heroku: unconfiguredHeroku(),
    github: unconfiguredGitHub(),
    specDiff: { diff: async () => ({ summary: { breaking: 0, warning: 0, nonBreaking: 0 }, changes: [] }) },
    specs: createSpecSource(),
    store,
    clock,
    ids: sequentialIds(`i${Math.random().toString(36).slice(2, 6)}`),
    catalog: registry.commands,
  };
  return {
    chat,
    dispatcher: new CommandDispatcher({ config, registry, ports, chat, directory: { groupsOf: async () => [] }, log }),
  };
}

async function request(d: CommandDispatcher, userId: string, text: string) {
  const responder = recordingResponder();
  const dispatch = await d.command({ userId, channelId: 'CROLL', text, correlationId: `c-${userId}`, responder });
  await dispatch.done;
  return { ack: dispatch.ack, replies: responder.replies };
}

async function click(d: CommandDispatcher, userId: string, actionId: string, value: string) {
  const responder = recordingResponder();
  const dispatch = await d.action({
    actionId,
    value,
    userId,
    channelId: 'CROLL',
    messageTs: null,
    correlationId: `k-${userId}`,
    responder,
  });
  await dispatch.done;
  return responder.replies;
}

describe.each(testDatabases())('approvals on $name', (engine) => {
  let opened: OpenedStore;
  afterEach(async () => opened?.cleanup());

  async function setup() {
    opened = await engine.open();
    const world = new World();
    const clock = new TestClock();
    const a = dispatcherOn(opened.store, world, clock);
    const { replies } = await request(a.dispatcher, 'UANA', 'bump production');
    expect(replies[0]?.text).toMatch(/Asked the channel for approval/);
    const approvalMsg = a.chat.posts.find((p) => p.message.buttons?.some((b) => b.actionId === APPROVE_ACTION));
    expect(approvalMsg, 'approval message with buttons').toBeDefined();
    const id = approvalMsg!.message.buttons!.find((b) => b.actionId === APPROVE_ACTION)!.value;
    return { world, clock, a, id, ts: approvalMsg!.ts };
  }

  it('runs staging directly but production only after a second operator approves', async () => {
    const { world, a, id, ts } = await setup();
    expect(world.executions).toBe(0);
    await click(a.dispatcher, 'UBEN', APPROVE_ACTION, id);
    expect(world.executions).toBe(1);
    expect(a.chat.latest(ts)?.text).toMatch(/done by <@UBEN>/);
    expect(a.chat.latest(ts)?.buttons ?? []).toEqual([]);
    const { replies } = await request(a.dispatcher, 'UANA', 'bump staging');
    expect(replies[0]?.text).toBe('Bumped to 2');
    const rows = await opened.store.audit.latest({ limit: 20 });
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['approval_requested', 'approve', 'execute']));
  });

  it('refuses self-approval and approval by a viewer, and audits both', async () => {
    const { world, a, id } = await setup();
    expect((await click(a.dispatcher, 'UANA', APPROVE_ACTION, id))[0]?.text).toMatch(/someone else has to approve/);
    expect((await click(a.dispatcher, 'UVIC', APPROVE_ACTION, id))[0]?.text).toMatch(
      /needs the operator role; you are a viewer/,
    );
    expect(world.executions).toBe(0);
    const denials = (await opened.store.audit.latest({ limit: 20 })).filter((r) => r.action === 'deny');
    expect(denials.map((r) => r.actorId).sort()).toEqual(['UANA', 'UVIC']);
    expect((await opened.store.approvals.get(id))?.state).toBe('pending');
  });

  it('executes once when two approvers on two instances click at the same moment', async () => {
    const { world, clock, a, id } = await setup();
    const second = await opened.reopen();
    const b = dispatcherOn(second.store, world, clock);
    const [r1, r2] = await Promise.all([
      click(a.dispatcher, 'UBEN', APPROVE_ACTION, id),
      click(b.dispatcher, 'UCY', APPROVE_ACTION, id),
    ]);
    expect(world.executions).toBe(1);
    expect([...r1, ...r2].map((m) => m.text)).toEqual([
      expect.stringMatching(
        /already approved by <@U(BEN|CY)>( and is running| and has run)?; your click changed nothing/,
      ),
    ]);
    expect((await opened.store.approvals.get(id))?.state).toBe('succeeded');
  });

  it('survives a restart between the request and the click', async () => {
    const { world, clock, id } = await setup();
    const restarted = await opened.reopen();
    const b = dispatcherOn(restarted.store, world, clock);
    await click(b.dispatcher, 'UBEN', APPROVE_ACTION, id);
    expect(world.executions).toBe(1);
  });

  it('cannot execute an expired request, and the sweeper marks it expired', async () => {
    const { world, clock, a, id, ts } = await setup();
    clock.advance(31 * 60_000);
    const replies = await click(a.dispatcher, 'UBEN', APPROVE_ACTION, id);
    expect(replies[0]?.text).toMatch(/expired before it was approved/);
    expect(world.executions).toBe(0);
    expect(a.chat.latest(ts)?.text).toMatch(/expired/);
    const { id: id2 } = await setup2(a, clock);
    clock.advance(31 * 60_000);
    expect(await a.dispatcher.approvalService.expireDue()).toBe(1);
    expect((await opened.store.approvals.get(id2))?.state).toBe('expired');
  });

  it('fails safe when the world changed between request and approval', async () => {
    const { world, a, id, ts } = await setup();
    world.value = 41; // someone changed it by hand
    await click(a.dispatcher, 'UBEN', APPROVE_ACTION, id);
    expect(world.executions).toBe(0);
    const text = a.chat.latest(ts)?.text ?? '';
    expect(text).toMatch(/the plan changed since it was approved/);
    // The approver did nothing wrong: the message must not read "failed by <@approver>".
    expect(text).not.toMatch(/failed by/);
    expect(text).toMatch(/failed · approved by <@UBEN>/);
    expect((await opened.store.approvals.get(id))?.state).toBe('failed');
  });

  it('a rejection is final', async () => {
    const { world, a, id } = await setup();
    await click(a.dispatcher, 'UBEN', REJECT_ACTION, id);
    const replies = await click(a.dispatcher, 'UCY', APPROVE_ACTION, id);
    expect(replies[0]?.text).toMatch(/already rejected by <@UBEN>/);
    expect(world.executions).toBe(0);
  });

  it('a click on a request that already ran says who approved it, in plain grammar', async () => {
    const { world, a, id } = await setup();
    await click(a.dispatcher, 'UBEN', APPROVE_ACTION, id);
    expect(world.executions).toBe(1);
    const replies = await click(a.dispatcher, 'UCY', APPROVE_ACTION, id);
    expect(replies[0]?.text).toBe(
      'This request was already approved by <@UBEN> and has run; your click changed nothing.',
    );
  });
});

async function setup2(a: ReturnType<typeof dispatcherOn>, _clock: TestClock) {
  const before = a.chat.posts.length;
  await request(a.dispatcher, 'UANA', 'bump production');
  const post = a.chat.posts.slice(before).find((p) => p.message.buttons?.length);
  return { id: post!.message.buttons![0]!.value };
}
