import { z } from 'zod';
import { APPROVAL_KINDS, type ApprovalRules } from '../core/approval-votes.ts';
import { expected, groupId, positive, strict } from './schema-kit.ts';

/** How many distinct approvers a kind of change needs: a whole number, at least 1 (never weaker than today). */
const count = z
  .number({ error: expected('a whole number of approvers, at least 1') })
  .int({ error: 'expected a whole number of approvers, at least 1' })
  .min(1, { error: 'expected at least 1 approver (0 would let a change run without a second person)' })
  .max(10, { error: 'expected at most 10 approvers' });

/** One environment's rule: a count per kind of change, and optionally who may approve. */
const envRule = strict(
  {
    ...Object.fromEntries(APPROVAL_KINDS.map((k) => [k, count.optional()])),
    approver_groups: z
      .array(groupId(), { error: expected('a list of Slack user-group ids such as [S0123ABCD]') })
      .min(1, { error: 'expected at least one Slack user-group id (leave the key out to use roles)' })
      .optional(),
  } as Record<(typeof APPROVAL_KINDS)[number], z.ZodOptional<typeof count>> & {
    approver_groups: z.ZodOptional<z.ZodArray<ReturnType<typeof groupId>>>;
  },
  `a mapping of ${APPROVAL_KINDS.join(', ')} (approver counts) and approver_groups`,
);

/**
 * `approvals:` — how long a pending request waits before it expires, and (issue 23 §5) per
 * environment how many distinct approvers each kind of change needs and who may approve.
 */
export const approvalsSchema = strict(
  {
    ttl_minutes: positive('a positive number of minutes').default(30),
    rules: z.record(z.string(), envRule, { error: expected('a mapping of environment name to rule') }).default({}),
  },
  'a mapping with ttl_minutes and rules',
)
  .default({ ttl_minutes: 30, rules: {} })
  .transform((a) => ({ ttlMinutes: a.ttl_minutes, rules: toRules(a.rules) }));

function toRules(raw: Record<string, Record<string, number | string[] | undefined>>): ApprovalRules {
  const out: ApprovalRules = {};
  for (const [env, rule] of Object.entries(raw)) {
    const counts: Record<string, number> = {};
    for (const k of APPROVAL_KINDS) if (typeof rule[k] === 'number') counts[k] = rule[k];
    out[env] = { counts, approverGroups: (rule.approver_groups as string[] | undefined) ?? [] };
  }
  return out;
}

export type ApprovalsSection = z.output<typeof approvalsSchema>;
