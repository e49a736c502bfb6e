import type { EnvironmentConfig } from './environment.ts';
import type { ApprovalRule } from './command.ts';
import { aRole, ROLES, roleAtLeast, type Role, type RoleAssignments, type RoleSource } from './roles.ts';

/** A user's role: the highest of their own entry and their user groups' entries, else the default. */
export function resolveRole(roles: RoleAssignments, userId: string, groupIds: readonly string[]): Role {
  return explainRole(roles, userId, groupIds).role;
}

/** A user's role and the entry it comes from (the first one giving it when several do: own entry, then groups). */
export function explainRole(
  roles: RoleAssignments,
  userId: string,
  groupIds: readonly string[],
): { role: Role; source: RoleSource } {
  let best: { role: Role; source: RoleSource } = { role: roles.defaultRole, source: { kind: 'default' } };
  const consider = (r: Role | undefined, source: RoleSource) => {
    if (r && ROLES.indexOf(r) > ROLES.indexOf(best.role)) best = { role: r, source };
  };
  consider(roles.users[userId], { kind: 'user' });
  for (const g of groupIds) consider(roles.groups[g], { kind: 'group', groupId: g });
  return best;
}

/** Whether this input of this action needs a second person's approval. */
export function needsApproval<I>(
  command: { approval: ApprovalRule<I> },
  input: I,
  env: EnvironmentConfig | undefined,
): boolean {
  const rule = command.approval;
  if (rule === 'never') return false;
  if (rule === 'always') return true;
  return rule(input, env);
}

export type ApproverCheck = { ok: true } | { ok: false; reason: string };

/** The requester can never approve their own request; approvers need the declared role. */
export function canDecide(
  approval: { requesterId: string; approverRole: string },
  userId: string,
  role: Role,
): ApproverCheck {
  if (approval.requesterId === userId) {
    return { ok: false, reason: 'You asked for this change, so someone else has to approve it.' };
  }
  const need = (ROLES as readonly string[]).includes(approval.approverRole) ? (approval.approverRole as Role) : 'admin';
  if (!roleAtLeast(role, need)) {
    return {
      ok: false,
      reason: `Approving needs the ${need} role; you are ${aRole(role)}. Ask ${aRole(need)} on the team.`,
    };
  }
  return { ok: true };
}
