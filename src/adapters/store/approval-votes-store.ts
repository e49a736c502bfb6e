import { castVote, type VoteVerdict } from '../../core/approval-votes.ts';
import type { AuditEntry } from '../../ports/stores/audit.ts';
import { insertAudit } from './audit-store.ts';
import type { Db } from './db.ts';
import { col } from './rows.ts';

/** Who has approved `id`, in click order (one row each: migration 110). */
export async function approversOf(db: Pick<Db, 'query'>, id: string): Promise<string[]> {
  const rows = await db.query('SELECT user_id FROM approval_votes WHERE approval_id = ? ORDER BY voted_at, user_id', [
    id,
  ]);
  return rows.map((r) => col.str(r, 'user_id'));
}

/**
 * One Approve click, atomically. The no-op UPDATE claims the pending row first: PostgreSQL holds its
 * row lock to COMMIT, so a click on another instance waits here and then counts with this one's
 * approval visible (SQLite's BEGIN IMMEDIATE serialises writers anyway). Without the claim, two
 * clicks at once would each count only themselves and a 2-of-M request would never complete.
 */
export async function castVoteInStore(
  db: Db,
  id: string,
  userId: string,
  now: number,
  eligible: { ok: true } | { ok: false; reason: string },
  audit: AuditEntry,
): Promise<VoteVerdict | { kind: 'closed' }> {
  return db.transaction(async (tx) => {
    const claimed = await tx.run(
      "UPDATE approvals SET state = state WHERE id = ? AND state = 'pending' AND expires_at > ?",
      [id, now],
    );
    if (claimed.changes !== 1) return { kind: 'closed' as const };
    const [row] = await tx.query('SELECT requester_id, approvals_needed FROM approvals WHERE id = ?', [id]);
    if (!row) return { kind: 'closed' as const };
    const verdict = castVote(
      {
        needed: col.num(row, 'approvals_needed'),
        approvers: await approversOf(tx, id),
        requesterId: col.str(row, 'requester_id'),
      },
      userId,
      eligible,
    );
    if (verdict.kind !== 'counted' && verdict.kind !== 'complete') return verdict;
    await tx.run('INSERT INTO approval_votes (approval_id, user_id, voted_at) VALUES (?, ?, ?)', [id, userId, now]);
    const needed = col.num(row, 'approvals_needed');
    const tally = `${verdict.approvers.length} of ${needed}`;
    if (verdict.kind === 'complete') {
      const moved = await tx.run(
        "UPDATE approvals SET state = 'approved', decided_by = ?, decided_at = ? WHERE id = ? AND state = 'pending'",
        [userId, now, id],
      );
      if (moved.changes !== 1) throw new Error(`approval ${id} left pending while this transaction held it`);
    }
    await insertAudit(tx, {
      ...audit,
      result: verdict.kind === 'complete' ? 'approved' : 'counted',
      detail: audit.detail ?? tally,
    });
    return verdict;
  });
}
