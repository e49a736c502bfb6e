import { expect, it } from 'vitest';
import { TxGuard } from '../../src/adapters/store/tx-guard.ts';

/**
 * The guard's context is switched off between transactions (an enabled AsyncLocalStorage slows every
 * promise in the process on Node 20); it must still catch the outer handle in every transaction.
 */
const refused = (guard: TxGuard) => {
  try {
    guard.check();
    return false;
  } catch {
    return true;
  }
};
const tick = () => new Promise((r) => setImmediate(r));

it('catches the outer handle in each of several transactions one after another', async () => {
  const guard = new TxGuard();
  for (let i = 0; i < 3; i++) {
    expect(await guard.within(async () => (await tick(), refused(guard)))).toBe(true);
    expect(refused(guard)).toBe(false);
  }
});

it('keeps catching it in a transaction still running when another one ends', async () => {
  const guard = new TxGuard();
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const long = guard.within(async () => {
    await held;
    await tick();
    return refused(guard);
  });
  await guard.within(async () => undefined);
  release();
  expect(await long).toBe(true);
  expect(refused(guard)).toBe(false);
});

it('lets work a transaction left behind use the handle once it has ended', async () => {
  const guard = new TxGuard();
  let later: Promise<boolean> | undefined;
  await guard.within(async () => {
    later = tick()
      .then(() => tick())
      .then(() => refused(guard));
  });
  expect(await later).toBe(false);
});
