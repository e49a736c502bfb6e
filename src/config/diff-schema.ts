import { z } from 'zod';
import { isKnownRule } from '../adapters/openapi/rule-catalog.ts';
import { strict } from './schema-kit.ts';

const SEVERITY = z.enum(['breaking', 'warning', 'non-breaking']);
const DAYS = z.number({ error: 'expected a whole number of days' }).int().nonnegative().default(0);

/** `diff:` — the rollout's route prefix, and hosts `/autorisen diff` may fetch besides the environments'. */
export const diffSchema = strict(
  {
    namespace: z
      .string({ error: 'expected a path prefix such as "/api/autorisen/"' })
      .regex(/^\//, { error: 'expected a path prefix such as "/api/autorisen/"' })
      .default('/api/autorisen/'),
    allowed_hosts: z
      .array(
        z
          .string({ error: 'expected a host name such as "api.example.com"' })
          .regex(/^[^/\s]+$/, { error: 'expected a host name such as "api.example.com", without a path' }),
        { error: 'expected a list of host names such as "api.example.com"' },
      )
      .default([]),
    /** The rule book for `/autorisen diff` and deploy plans (docs/DIFF.md, "Rule profiles"). */
    profile: z.enum(['autorisen', 'oasdiff'], { error: 'expected autorisen or oasdiff' }).default('autorisen'),
    deprecation_days: strict({ beta: DAYS, stable: DAYS }, 'a mapping with beta and stable').default({
      beta: 0,
      stable: 0,
    }),
    rules: z
      .record(z.string(), z.unknown())
      .superRefine((rules, ctx) => {
        // Checked here rather than with a key schema, so each bad line names its own problem.
        for (const [rule, level] of Object.entries(rules)) {
          if (!isKnownRule(rule)) ctx.addIssue({ code: 'custom', path: [rule], message: 'not a rule this engine has' });
          else if (!SEVERITY.safeParse(level).success)
            ctx.addIssue({ code: 'custom', path: [rule], message: 'expected breaking, warning or non-breaking' });
        }
      })
      .transform((rules) => rules as Record<string, z.output<typeof SEVERITY>>)
      .default({}),
  },
  'a mapping with namespace, allowed_hosts, profile, deprecation_days and rules',
)
  .default({
    namespace: '/api/autorisen/',
    allowed_hosts: [],
    profile: 'autorisen',
    deprecation_days: { beta: 0, stable: 0 },
    rules: {},
  })
  .transform((d) => ({
    namespace: d.namespace,
    allowedHosts: d.allowed_hosts.map((h) => h.toLowerCase()),
    rules: { profile: d.profile, overrides: d.rules, deprecationDays: d.deprecation_days },
  }));

export type DiffSection = z.output<typeof diffSchema>;
