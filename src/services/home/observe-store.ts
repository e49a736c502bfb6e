import type { Store } from '../../ports/store.ts';
import type { HomeChange } from './home-service.ts';

type AnyFn = (...args: never[]) => Promise<unknown>;

/** Wrap `methods` of `sub` so each successful call reports `kind(args)` (null: nothing Home shows changed). */
function watch<T extends object>(
  sub: T,
  methods: Partial<Record<keyof T, (args: unknown[]) => HomeChange | null>>,
  onChange: (kind: HomeChange) => void,
): T {
  const out = { ...sub };
  for (const [name, kindOf] of Object.entries(methods) as [keyof T, (args: unknown[]) => HomeChange | null][]) {
    const fn = sub[name] as unknown as AnyFn;
    (out as Record<keyof T, unknown>)[name] = async (...args: never[]) => {
      const result = await fn.apply(sub, args);
      // A compare-and-set that lost changed nothing.
      if (result !== false) {
        const kind = kindOf(args);
        if (kind) onChange(kind);
      }
      return result;
    };
  }
  return out;
}

const store = (): HomeChange => 'store';
const heroku = (): HomeChange => 'heroku';

/**
 * The store, reporting every write to something the Home tab shows: locks, approvals, flag history,
 * deploys, workflow runs, alerts and guards. Watching the writes rather than each command means a new command, a resumed
 * deploy or an alert webhook refreshes Home without anyone remembering to. Writes made by another
 * instance are not seen here; that instance refreshes its own viewers, and Home catches up at the next
 * change or open.
 */
export function observeStore(s: Store, onChange: (kind: HomeChange) => void): Store {
  return {
    ...s,
    locks: watch(s.locks, { acquire: store, release: store, convert: store }, onChange),
    approvals: watch(s.approvals, { create: store, transition: store, vote: store }, onChange),
    // A release `flag status` merely saw changes nothing; one the bot made (or a webhook reported) does.
    releases: watch(
      s.releases,
      { record: (args) => ((args[0] as { source?: string } | undefined)?.source === 'seen' ? null : 'heroku') },
      onChange,
    ),
    deploys: watch(s.deploys, { create: store, transition: heroku }, onChange),
    // Issue 21: a guard started or ended (not every look's verdict) changes what Home shows.
    guards: watch(
      s.guards,
      { create: store, update: (args) => ((args[2] as { state?: string } | undefined)?.state ? 'store' : null) },
      onChange,
    ),
    // Issue 23 §1: Home lists scheduled changes.
    schedules: watch(s.schedules, { create: store, transition: store, ask: store, keep: store }, onChange),
    workflows: watch(s.workflows, { create: store, advance: store }, onChange),
    // Issue 23 §2: a break-glass review opened or acknowledged.
    breakGlass: watch(s.breakGlass, { finish: store, acknowledge: store }, onChange),
    alerts: watch(
      s.alerts,
      {
        // Heroku api:release webhooks arrive as change events: what Heroku runs may have changed.
        accept: (args) => ((args[3] as unknown[] | undefined)?.length ? 'heroku' : 'store'),
        acceptBatch: (args) =>
          (args[0] as { changes: unknown[] }[] | undefined)?.some((i) => i.changes.length > 0) ? 'heroku' : 'store',
        acknowledge: store,
        silence: store,
      },
      onChange,
    ),
  };
}
