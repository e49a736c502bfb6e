import { z } from 'zod';
import type { EnvironmentConfig } from '../core/environment.ts';
import { bool, channelId, positive, strict, text } from './schema-kit.ts';

/** One entry of `environments:` as written in YAML. */
const environmentSchema = strict(
  {
    name: text('a name such as "production"'),
    aliases: z.array(text('a name'), { error: 'expected a list of names' }).default([]),
    heroku_app: text('the Heroku app name'),
    github_repo: text('"owner/repo"').regex(/^[^/\s]+\/[^/\s]+$/, {
      error: (iss) => `expected "owner/repo", got "${String(iss.input)}"`,
    }),
    branch: text('a branch name').default('main'),
    base_url: text('an http(s) URL').regex(/^https?:\/\/\S+$/, { error: 'expected an http(s) URL' }),
    health_path: text('a path starting with "/"')
      .regex(/^\//, { error: 'expected a path starting with "/"' })
      .default('/healthz'),
    verify_seconds: positive('a positive number of seconds').default(120),
    production: bool().default(false),
    // No defaults here on purpose: production implies both unless they are written out (below).
    requires_approval: bool().optional(),
    backup_before_deploy: bool().optional(),
    deploy_channel: channelId().optional(),
  },
  'a mapping',
).transform(
  (e): EnvironmentConfig => ({
    name: e.name,
    aliases: e.aliases,
    herokuApp: e.heroku_app,
    github: { owner: e.github_repo.split('/')[0]!, repo: e.github_repo.split('/')[1]! },
    branch: e.branch,
    baseUrl: e.base_url.replace(/\/+$/, ''),
    healthPath: e.health_path,
    verifySeconds: e.verify_seconds,
    production: e.production,
    requiresApproval: e.requires_approval ?? e.production,
    backupBeforeDeploy: e.backup_before_deploy ?? e.production,
    deployChannel: e.deploy_channel ?? null,
  }),
);

/** `environments:` — the deployment targets, in the order `flag status` shows them; names unique. */
export const environmentsSchema = z
  .array(environmentSchema, { error: 'expected a list of environments' })
  .default([])
  .superRefine((envs, ctx) => {
    const seen = new Set<string>();
    envs.forEach((e, i) => {
      if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${e.name}" is used twice` });
      seen.add(e.name);
    });
  });

export type EnvironmentsSection = z.output<typeof environmentsSchema>;
