import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { done, failed, wait } from '../../src/core/workflow.ts';
import type { Store } from '../../src/ports/store.ts';
import { createWorkflowEngine, type WorkflowEngine } from '../../src/services/workflows/engine.ts';
import { ABANDON_ACTION, RETRY_ACTION } from '../../src/services/workflows/messages.ts';
import type { Step, StepPorts, WorkflowDef } from '../../src/services/workflows/types.ts';
import { createProgress } from '../../src/services/progress.ts';
import { RecordingChat } from '../support/recording-chat.ts';
import { sequentialIds, TestClock } from '../support/test-clock.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const log = pino({ level: 'silent' });
const caller = { userId: 'UANA', role: 'operator' as const, channelId: 'CREL' };

/**
 * The engine on a real store: steps in order, exactly once across restarts and competing instances,
 * timed waits on the injected clock, events, failures with offers, Retry and Abandon.
 */
describe.each(testDatabases())('workflow engine on $name', (database) => {
  let o: OpenedStore;
  let clock: TestClock;
  let chat: RecordingChat;
  let calls: string[];
  let behaviour: Record<string, () => ReturnType<Step['run']>>;
  const engines: WorkflowEngine[] = [];

  const step = (name: string): Step => ({
    name,
    title: `Step ${name}`,
    run: async (_ctx, state) => {
      calls.push(`${name}${state.resumed ? '(resumed)' : ''}`);
      return behaviour[name] ? behaviour[name]!() : done({ by: name }, `${name} done`);
    },
  });
  const def: WorkflowDef = {
    name: 'demo',
    command: 'demo',
    env: () => 'staging',
    locks: () => ['staging'],
    title: () => 'Demo run',
    steps: () => ['a', 'b', 'c'].map(step),
  };
  function engine(store: Store): WorkflowEngine {
    const ports = { environments: [], store, clock, pollMs: 10 } as unknown as StepPorts;
    const e = createWorkflowEngine({
      ports,
      ids: sequentialIds(`e${engines.length}`),
      log,
      chat: () => chat,
      requestApproval: async () => ({ id: 'appr-1', expiresAt: clock.now() + 60_000 }),
    });
    e.register(def);
    engines.push(e);
    return e;
  }
  const start = (e: WorkflowEngine) =>
    e.start('demo', {}, { caller, correlationId: 'c1', progress: createProgress(chat, 'CREL', log), log });

  beforeEach(async () => {
    o = await database.open();
    clock = new TestClock();
    chat = new RecordingChat();
    calls = [];
    behaviour = {};
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    await o.cleanup();
  });

  it('runs the steps in order, keeps their data, updates one root message and releases the lock', async () => {
    const out = await start(engine(o.store));
    expect(out.ok).toBe(true);
    expect(calls).toEqual(['a', 'b', 'c']);
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(run).toMatchObject({
      state: 'done',
      stepIndex: 3,
      data: { a: { by: 'a' }, c: { by: 'c' } },
      lockToken: null,
    });
    const roots = chat.posts.filter((p) => !p.threadTs);
    expect(roots).toHaveLength(1);
    expect(chat.latest(roots[0]!.ts)!.text).toContain('Demo run: done');
    expect(chat.posts.filter((p) => p.threadTs === roots[0]!.ts).map((p) => p.message.text)).toContain('b done');
    expect(await o.store.locks.get('staging', clock.now())).toBeNull();
  });

  it('refuses to start while the environment is locked, and changes nothing', async () => {
    await o.store.locks.acquire({
      env: 'staging',
      holderId: 'UBEN',
      kind: 'manual',
      reason: 'freeze',
      token: 't',
      acquiredAt: clock.now(),
      expiresAt: null,
    });
    await expect(start(engine(o.store))).rejects.toThrow(/staging is locked/);
    expect(await o.store.workflows.latest({ workflow: null, env: null, limit: 5 })).toEqual([]);
  });

  it('sleeps on the injected clock for a timed wait, then runs the same step again', async () => {
    let n = 0;
    behaviour.b = async () => (++n < 3 ? wait({ until: clock.now() + 60_000 }) : done());
    const t0 = clock.now();
    await start(engine(o.store));
    expect(calls).toEqual(['a', 'b', 'b', 'b', 'c']);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(120_000);
  });

  it('resumes after a restart at the step it was in; no finished step runs again', async () => {
    behaviour.b = async () => wait({ event: 'go' });
    const first = engine(o.store);
    const out = await start(first);
    expect(out.message.text).toContain('waiting');
    await first.stop();
    // A new process: b is re-entered (resumed), a is not run again.
    delete behaviour.b;
    const second = engine(o.store);
    // An event-only wait stays parked on resume; the signal moves it.
    await second.resume();
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(await second.signal(run!.id, 'wrong')).toBe(false);
    expect(await second.signal(run!.id, 'go')).toBe(true);
    await second.idle();
    const after = (await o.store.workflows.get(run!.id))!;
    expect(calls.filter((c) => c.startsWith('a'))).toHaveLength(1);
    expect(calls.at(-1)).toBe('c');
    expect(after.state).toBe('done');
  });

  it('two instances resuming the same run advance each step once (compare-and-set on the version)', async () => {
    behaviour.a = async () => wait({ until: clock.now() + 1 });
    const first = engine(o.store);
    const p = start(first);
    await first.stop();
    await p;
    delete behaviour.a;
    calls = [];
    const other = await o.reopen();
    const [x, y] = [engine(o.store), engine(other.store)];
    await Promise.all([x.resume(), y.resume()]);
    await Promise.all([x.idle(), y.idle()]);
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(run!.state).toBe('done');
    // Each step's *advance* happened once; a step may have been entered by both, but only one write won.
    const audits = (await o.store.audit.latest({ limit: 100 })).filter(
      (a) => a.args === `demo ${run!.id}` && /: done$/.test(a.detail ?? ''),
    );
    expect(audits.map((a) => a.detail).sort()).toEqual(['a: done', 'b: done']);
  });

  it('a failed step stops the run with Retry and Abandon, releases the lock; Retry runs the step again with fresh scratch', async () => {
    let fail = true;
    behaviour.b = async () => (fail ? failed('the thing broke') : done());
    const e = engine(o.store);
    const out = await start(e);
    expect(out.ok).toBe(false);
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(run).toMatchObject({
      state: 'failed',
      stepIndex: 1,
      error: 'the thing broke',
      offers: ['retry', 'abandon'],
    });
    expect(await o.store.locks.get('staging', clock.now())).toBeNull();
    const offer = chat.posts.find((p) => p.message.buttons?.length)!;
    expect(offer.message.text).toContain('Step b failed: the thing broke');
    expect(offer.message.buttons!.map((b) => b.actionId)).toEqual([RETRY_ACTION, ABANDON_ACTION]);
    fail = false;
    expect(await e.decide(run!.id, 'retry', 'UBEN')).toContain('Retrying');
    expect(await e.decide(run!.id, 'retry', 'UBEN')).toMatch(/nothing to retry|acted on this run first/);
    await e.idle();
    expect((await o.store.workflows.get(run!.id))!.state).toBe('done');
    expect(calls).toEqual(['a', 'b', 'b', 'c']);
  });

  it('Abandon ends a stopped run for good', async () => {
    behaviour.a = async () => failed('nope');
    const e = engine(o.store);
    await start(e);
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(await e.decide(run!.id, 'abandon', 'UBEN')).toContain('Abandoned');
    expect((await o.store.workflows.get(run!.id))!).toMatchObject({ state: 'abandoned' });
    expect(await e.decide(run!.id, 'retry', 'UBEN')).toContain('abandoned');
  });

  it('a step that throws becomes a failure with the error text, not a crash', async () => {
    behaviour.a = async () => {
      throw new Error('boom');
    };
    await start(engine(o.store));
    const [run] = await o.store.workflows.latest({ workflow: 'demo', env: null, limit: 1 });
    expect(run!.error).toContain('unexpected error');
  });
});
