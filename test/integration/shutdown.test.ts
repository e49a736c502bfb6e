import { afterEach, describe, expect, it } from 'vitest';
import { createShutdown, shutdownWatchdogMs } from '../../src/shutdown.ts';
import { bootApp, type BootedApp } from '../drivers/boot-app.ts';

let booted: BootedApp | null = null;
afterEach(async () => {
  await booted?.stop();
  booted = null;
});

describe('graceful shutdown: one deadline', () => {
  it('gives up on hung Slack work after the grace, still closes the store, and exits 0 before the watchdog', async () => {
    const graceMs = 300;
    booted = await bootApp({ shutdownGraceMs: graceMs });
    // A slash command whose follow-up hangs on Heroku: in-flight work that outlives the grace.
    booted.heroku.fail({ hang: true, method: 'GET' });
    const ack = await booted.driver.command('releases staging');
    expect(ack.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));

    const exits: number[] = [];
    const errors: string[] = [];
    const shutdown = createShutdown({
      stop: () => booted!.app.stop(),
      exit: (code) => exits.push(code),
      log: { info: () => undefined, error: (_o, msg) => errors.push(msg) },
      graceMs,
    });
    await shutdown('SIGTERM');

    expect(errors).toEqual([]);
    expect(exits).toEqual([0]);
    expect(booted.logs.some((l) => l.msg === 'shutdown grace ran out with Slack work still running')).toBe(true);
    // The store was closed, not abandoned by an early exit.
    await expect(booted.app.store.ping()).rejects.toThrow();
    // The watchdog is never armed for less than the grace plus the close that follows it.
    expect(shutdownWatchdogMs(graceMs)).toBeGreaterThan(graceMs);
  });

  it('exits 1 when stop() outlives the watchdog', async () => {
    const exits: number[] = [];
    const shutdown = createShutdown({
      stop: () => new Promise((r) => setTimeout(r, shutdownWatchdogMs(20) + 200)),
      exit: (code) => exits.push(code),
      log: { info: () => undefined, error: () => undefined },
      graceMs: 20,
    });
    await shutdown('SIGTERM');
    expect(exits).toEqual([1, 0]);
  });
});
