import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { HomeChange } from './home-service.ts';

/** How often an instance looks for changes another instance made (writes here are seen at once). */
export const HOME_PEER_POLL_MS = 15_000;

/** Commands whose rows mean what Heroku runs may have changed (Home then reads Heroku again). */
const HEROKU_COMMANDS = /^(flag|deploy|rollback|release|run)\b/;

/**
 * Home and writes made by other instances (several dynos share one database). The writing instance
 * republishes every recent viewer (the viewers are in the shared store), but this one still holds
 * its own caches (Heroku's part for up to 5 minutes): the next Home opened here would show the old
 * flag. Every change Home shows is audited or is an alert, so two cheap reads tell whether anything
 * moved: the newest audit row, and the newest open alert activity.
 */
export function watchPeerChanges(deps: {
  store: Pick<Store, 'audit' | 'alerts'>;
  log: Logger;
  onChange: (kind: HomeChange) => void;
}): { check(): Promise<void> } {
  let last: string | null = null;
  return {
    async check() {
      try {
        const [[row], alerts] = await Promise.all([
          deps.store.audit.latest({ limit: 1 }),
          deps.store.alerts.listOpen(null, 20),
        ]);
        const newestAlert = alerts.reduce((m, g) => Math.max(m, g.lastSeen), 0);
        const marker = JSON.stringify([
          row?.at,
          row?.correlationId,
          row?.action,
          row?.command,
          alerts.length,
          newestAlert,
        ]);
        const first = last === null;
        const moved = marker !== last;
        last = marker;
        if (first || !moved) return;
        deps.onChange(row && HEROKU_COMMANDS.test(row.command) ? 'heroku' : 'store');
      } catch (err) {
        deps.log.warn({ err }, 'could not look for changes made by other instances');
      }
    },
  };
}
