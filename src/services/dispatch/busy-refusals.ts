import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { audit } from '../audit.ts';

/**
 * Commands a saturated bot answered "busy" (nothing run, nothing queued). They are audited as one
 * summary row per window instead of a row each: under overload a store write per refusal is the
 * very work the "busy" answer exists to avoid, and it would make refusing cost as much as accepting
 * (bench/heroku-read-ack.ts). Every refusal is still counted, and the user saw the "busy" ack.
 */

/** One summary row at most this often while refusals go on. */
export const BUSY_AUDIT_WINDOW_MS = 5_000;
/** Users named in a summary row; beyond that it says how many more. */
const NAMED_USERS = 10;
/** Command names counted apart in a summary row (a bounded map whatever people type). */
const NAMED_COMMANDS = 10;

export class BusyRefusals {
  private count = 0;
  private firstAt = 0;
  private readonly users = new Set<string>();
  private otherUsers = 0;
  private readonly commands = new Map<string, number>();
  private flushing: Promise<void> | null = null;
  /** Refusals since start (for logs, tests and benchmarks). */
  total = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly windowMs = BUSY_AUDIT_WINDOW_MS,
  ) {}

  /**
   * Count one refusal. The first of a window returns the promise of its summary row (the transport
   * tracks it, so a graceful stop writes it); the others return null.
   */
  note(userId: string, command: string): Promise<void> | null {
    this.total++;
    const opens = this.count === 0;
    if (opens) this.firstAt = this.now();
    this.count++;
    if (this.users.has(userId) || this.users.size < NAMED_USERS) this.users.add(userId);
    else this.otherUsers++;
    if (this.commands.has(command) || this.commands.size < NAMED_COMMANDS)
      this.commands.set(command, (this.commands.get(command) ?? 0) + 1);
    if (!opens) return null;
    this.flushing = new Promise<void>((resolve) => setTimeout(resolve, this.windowMs).unref()).then(() => this.flush());
    return this.flushing;
  }

  /** Write the summary of the refusals counted so far (also the end of a window). */
  async flush(): Promise<void> {
    if (this.count === 0) return;
    const count = this.count;
    const byCommand = [...this.commands].map(([name, n]) => `${name} ×${n}`).join(', ');
    const users = [...this.users].join(', ') + (this.otherUsers > 0 ? ` and ${this.otherUsers} more` : '');
    const at = this.firstAt;
    this.count = 0;
    this.users.clear();
    this.otherUsers = 0;
    this.commands.clear();
    this.log.warn({ refused: count, total: this.total }, 'busy: commands refused while saturated');
    await audit(this.store, this.log, {
      at,
      correlationId: `busy-${at}`,
      actorId: 'system',
      command: 'busy',
      action: 'refuse',
      result: 'busy',
      detail: `${count} command${count === 1 ? '' : 's'} answered "busy" in ${Math.round((this.now() - at) / 1000)} s (${byCommand}) from ${users}`,
    });
  }
}
