import type { QueryCommand } from '../src/ports/command.ts';
import { userRef } from '../src/core/mentions.ts';

const MAX = 50;

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** `/autorisen audit [n] [--user @x]`: the latest audit rows. */
export const auditCommand: QueryCommand<{ limit: number; userId: string | null }> = {
  kind: 'query',
  name: 'audit',
  summary: 'Show the latest audit log entries',
  usage: 'audit [n] [--user @someone]',
  examples: ['audit', 'audit 50 --user @ana'],
  permission: 'operator',
  options: [{ name: 'user', kind: 'value' }],
  maxPositionals: 1,
  parse(args) {
    const n = args.positional[0];
    const limit = n === undefined ? 20 : Number(n);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX)
      return { ok: false, error: `n must be a whole number from 1 to ${MAX}; got "${n}".` };
    const user = args.flags.user;
    if (user === true) return { ok: false, error: '--user needs a user, e.g. --user @ana.' };
    if (user === undefined) return { ok: true, input: { limit, userId: null } };
    // `--user @ana` as typed in Slack arrives as `<@U123|ana>` (should_escape in manifest.yml).
    const ref = userRef(user);
    return ref.ok ? { ok: true, input: { limit, userId: ref.id } } : { ok: false, error: ref.error };
  },
  async run({ limit, userId }, ctx) {
    const rows = await ctx.store.audit.latest({ limit, ...(userId ? { actorId: userId } : {}) });
    if (rows.length === 0) return { text: userId ? `No audit entries for <@${userId}>.` : 'The audit log is empty.' };
    const lines = rows.map((r) => {
      const where = r.env ? ` [${r.env}]` : '';
      const dur = r.durationMs !== null ? ` ${r.durationMs}ms` : '';
      const detail = r.detail ? ` — ${r.detail}` : '';
      return `${time(r.at)} ${r.actorId} ${r.command}${where} ${r.action} → ${r.result}${dur}${detail} (${r.correlationId})`;
    });
    return {
      text: `Latest ${rows.length} audit entries:\n${lines.join('\n')}`,
      blocks: [
        { type: 'section', text: `*Latest ${rows.length} audit entries*` },
        { type: 'code', text: lines.join('\n') },
      ],
    };
  },
};
