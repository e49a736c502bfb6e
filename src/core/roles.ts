/** Roles in increasing order of power. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who has which role: Slack user ids and user-group ids, and the role of everyone else. */
export interface RoleAssignments {
  users: Record<string, Role>;
  groups: Record<string, Role>;
  defaultRole: Role;
}

/**
 * Where a caller's role comes from: their own entry (config roles.users), a user group's entry
 * (roles.groups), the default (roles.default), or the local shell's `as` override.
 */
export type RoleSource =
  | { kind: 'user' }
  | { kind: 'group'; groupId: string }
  | { kind: 'default' }
  | { kind: 'override' };

/** True when `have` is at least `need`. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** "an admin", "an operator", "a viewer" — for messages. */
export function aRole(role: string): string {
  return /^[aeiou]/i.test(role) ? `an ${role}` : `a ${role}`;
}
