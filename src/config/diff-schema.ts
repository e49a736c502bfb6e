import { z } from 'zod';
import { strict } from './schema-kit.ts';

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
  },
  'a mapping with namespace and allowed_hosts',
)
  .default({ namespace: '/api/autorisen/', allowed_hosts: [] })
  .transform((d) => ({ namespace: d.namespace, allowedHosts: d.allowed_hosts.map((h) => h.toLowerCase()) }));

export type DiffSection = z.output<typeof diffSchema>;
