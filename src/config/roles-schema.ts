import { z } from 'zod';
import { ROLES, type RoleAssignments } from '../core/roles.ts';
import { expected, groupId, strict, userId } from './schema-kit.ts';

const role = z.enum(ROLES, {
  error: (iss) => `expected viewer, operator or admin; got "${String(iss.input)}"`,
});

/** A mapping of Slack ids (checked by shape) to roles. */
const idToRole = (id: z.ZodString, what: string) =>
  z.record(z.string(), role, { error: expected(`a mapping of Slack ${what} id to role`) }).superRefine((m, ctx) => {
    for (const key of Object.keys(m)) {
      const r = id.safeParse(key);
      if (!r.success) ctx.addIssue({ code: 'custom', path: [key], message: r.error.issues[0]!.message });
    }
  });

/** `roles:` — user and user-group ids mapped to viewer/operator/admin, and everyone else's role. */
export const rolesSchema = strict(
  {
    users: idToRole(userId(), 'user').default({}),
    groups: idToRole(groupId(), 'user-group').default({}),
    default: role.default('viewer'),
  },
  'a mapping with users, groups and default',
)
  .default({ users: {}, groups: {}, default: 'viewer' })
  .transform((r): RoleAssignments => ({ users: r.users, groups: r.groups, defaultRole: r.default }));

export type RolesSection = z.output<typeof rolesSchema>;
