import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { HerokuPort } from '../ports/heroku.ts';

/** One backup the sandbox took: it finishes on its second poll. */
export interface SandboxTransfer {
  num: number;
  polls: number;
  at: number;
}

interface BackupApp {
  transfers: Map<string, SandboxTransfer>;
  nextBackup: number;
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The sandbox's Heroku Postgres backups (Data API): capture, follow, list. b001–b003 were nightly
 * backups before the sandbox started, so the checklist has a last backup to show; later ones are
 * the bot's own, taken before a production deploy or release.
 */
export function sandboxBackups(
  appOf: (name: string) => BackupApp,
  now: () => number,
  started: number,
): Required<Pick<HerokuPort, 'captureBackup' | 'getTransfer' | 'listBackups'>> {
  return {
    async captureBackup(name) {
      const app = appOf(name);
      const num = app.nextBackup++;
      const transferId = randomUUID();
      app.transfers.set(transferId, { num, polls: 0, at: now() });
      return { name: `b${String(num).padStart(3, '0')}`, transferId };
    },
    // b001–b003 were nightly backups before the sandbox started; later ones are the bot's own.
    async listBackups(name) {
      const app = appOf(name);
      const done = (t: { num: number; polls: number }) => t.polls >= 2;
      const taken = [...app.transfers.values()].map((t) => ({
        name: `b${String(t.num).padStart(3, '0')}`,
        createdAt: stamp(t.at),
        finishedAt: done(t) ? stamp(t.at + 60_000) : null,
        succeeded: done(t),
      }));
      const nightly = [1, 2, 3].map((n) => ({
        name: `b00${n}`,
        createdAt: stamp(started - (4 - n) * 86_400_000 + 4 * 3_600_000),
        finishedAt: stamp(started - (4 - n) * 86_400_000 + 4 * 3_600_000 + 90_000),
        succeeded: true,
      }));
      return [...taken.reverse(), ...nightly.reverse()];
    },
    async getTransfer(name, transferId) {
      const t = appOf(name).transfers.get(transferId);
      if (!t) throw new AppError('heroku_not_found', `${name} has no backup transfer ${transferId}.`);
      t.polls += 1;
      const finished = t.polls >= 2;
      return {
        finished,
        succeeded: finished,
        logs: finished
          ? ['pg_dump: dumping contents of table "public.items"', `backup b${String(t.num).padStart(3, '0')} finished`]
          : ['pg_dump: reading schemas'],
      };
    },
  };
}
