import type { Clock, Ids } from '../../src/ports/clock.ts';

/** A clock tests move by hand; sleep() advances it instead of waiting. */
export class TestClock implements Clock {
  constructor(public current = Date.UTC(2026, 10, 28, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.current += ms;
    await new Promise((r) => setImmediate(r));
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Predictable ids: prefix-1, prefix-2, … */
export function sequentialIds(prefix = 'id'): Ids {
  let n = 0;
  return { next: () => `${prefix}-${++n}` };
}
