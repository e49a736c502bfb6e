import { afterEach, describe, expect, it } from 'vitest';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { flagOffCommand, flagStatusCommand } from '../../commands/flag.ts';
import { Registry } from '../../src/core/registry.ts';
import { createLogger } from '../../src/log.ts';
import type { Ports } from '../../src/services/context.ts';
import { CommandDispatcher } from '../../src/services/dispatch/dispatcher.ts';
import { BUSY_TEXT, WorkLimiter } from '../../src/services/dispatch/work-limiter.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { RecordingChat, recordingResponder } from '../support/recording-chat.ts';
import { TestClock, sequentialIds } from '../support/test-clock.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import { FLAG_CONFIG } from './flag-harness.ts';

/**
 * Saturation: the real dispatcher with a tiny work limiter (1 running, 1 waiting), the real Heroku
 * adapter against the fake Heroku API holding the first read. The third command is told "busy" in
 * its ack, nothing of it runs, and once the backlog drains commands run again.
 */
let fake: FakeHeroku;
let opened: OpenedStore;
afterEach(async () => {
  await fake?.close();
  await opened?.cleanup();
});

describe('bounded follow-up work', () => {
  it('answers "busy" in the ack when saturated instead of queueing, and recovers', async () => {
    fake = await startFakeHeroku({
      apps: [
        { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' } },
        { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'true' } },
      ],
    });
    opened = await testDatabase('sqlite').open();
    const heroku = createHerokuAdapter(
      { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl },
      { environments: FLAG_CONFIG.environments, timeoutMs: 5000 },
    );
    const registry = new Registry([flagStatusCommand, flagOffCommand]);
    const ports = {
      environments: FLAG_CONFIG.environments,
      heroku,
      store: opened.store,
      clock: new TestClock(),
      ids: sequentialIds('busy'),
      catalog: registry.commands,
    } as unknown as Ports;
    const limiter = new WorkLimiter(1, 1);
    const dispatcher = new CommandDispatcher({
      config: FLAG_CONFIG,
      registry,
      ports,
      chat: new RecordingChat(),
      directory: { groupsOf: async () => [] },
      log: createLogger({ ...FLAG_CONFIG, logLevel: 'silent' }),
      workLimiter: limiter,
      busyAuditWindowMs: 10,
    });
    let n = 0;
    const send = async (text: string, userId = 'UVIC') => {
      const responder = recordingResponder();
      const d = await dispatcher.command({ userId, channelId: 'C1', text, correlationId: `b${++n}`, responder });
      return { ...d, responder };
    };

    fake.fail({ hang: true, method: 'GET', path: '/apps/autorisen/config-vars' });
    // Held past the answer-in-ack window, the first two ack empty; their answers follow by response_url.
    const first = await send('flag status staging'); // runs, held by Heroku
    const second = await send('flag status staging'); // waits for the one slot
    const third = await send('flag status production'); // nothing left: busy
    expect(first.ack).toBeNull();
    expect(second.ack).toBeNull();
    expect(third.ack?.text).toBe(BUSY_TEXT);
    expect(limiter.load).toEqual({ active: 1, queued: 1, urgent: 0 });
    await third.done; // its summary audit row is written
    expect(third.responder.replies).toEqual([]);
    const busyRow = (await opened.store.audit.latest({ limit: 10 })).find((r) => r.result === 'busy');
    expect(busyRow?.detail).toMatch(/1 command answered "busy".*flag status ×1/);
    expect(fake.requestsTo('GET', '/apps/capecraft/config-vars')).toHaveLength(0); // the refused one did nothing

    // The kill switch is never refused or queued behind status reads: it runs now.
    const kill = await send('flag off production --reason errors', 'UANA');
    expect(kill.ack).toBeNull();
    await kill.done;
    expect(kill.responder.replies[0]?.text).toMatch(/turned the rollout flag \*off\* in production/);
    expect(fake.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');

    fake.clearFaults(); // the held read fails; the waiting one runs
    await first.done;
    await second.done;
    expect(second.responder.replies[0]?.text).toMatch(/staging\* \(autorisen\): FEATURE_AUTORISEN "false"/);
    expect(limiter.load).toEqual({ active: 0, queued: 0, urgent: 0 });

    // Quick again: the answer is the ack itself, and nothing follows by response_url.
    const again = await send('flag status production');
    expect(again.ack?.text).toMatch(/FEATURE_AUTORISEN "false"/);
    await again.done;
    expect(again.responder.replies).toEqual([]);
  });
});
