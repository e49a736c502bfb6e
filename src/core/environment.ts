import { AppError } from '../errors.ts';
/**
 * The deployment targets and the gates on them, owned by the core (commands, policy and flag logic
 * use them); src/config/environments-schema.ts reads them from the YAML file and must produce
 * exactly this shape (checked at compile time there).
 */

/** One deployment target (staging "autorisen", production "capecraft"). */
export interface EnvironmentConfig {
  name: string;
  aliases: string[];
  herokuApp: string;
  github: { owner: string; repo: string };
  branch: string;
  /** Base URL of the running app, for /openapi.json and health checks. */
  baseUrl: string;
  healthPath: string;
  /** Seconds the health URL has to answer 2xx after a deploy or rollback. */
  verifySeconds: number;
  production: boolean;
  /** Changes (flag on, deploy, rollback) need a second person's approval. Default: `production`. */
  requiresApproval: boolean;
  /** Take a Heroku Postgres backup before deploying. Default: `production`. */
  backupBeforeDeploy: boolean;
  /** Channel for deploy/release announcements and Heroku events. */
  deployChannel: string | null;
}

/**
 * Safety gates a production environment has explicitly turned off in the config (production
 * implies both unless set). Logged at boot and shown by `flag status` and `help`, so nobody
 * mistakes a waived gate for one in force.
 */
export function waivedGates(env: EnvironmentConfig): string[] {
  if (!env.production) return [];
  const out: string[] = [];
  if (!env.requiresApproval)
    out.push(
      `The config waives approval on production environment ${env.name} (\`requires_approval: false\`): flag on, deploys and rollbacks there run without a second person's approval.`,
    );
  if (!env.backupBeforeDeploy)
    out.push(
      `The config waives the backup on production environment ${env.name} (\`backup_before_deploy: false\`): deploys there take no database backup first.`,
    );
  return out;
}

/** `waivedGates` of every environment, as warning lines. */
export function waivedGateWarnings(envs: readonly EnvironmentConfig[]): string[] {
  return envs.flatMap(waivedGates).map((w) => `:warning: ${w}`);
}

/**
 * The environment a command names (or an alias of it), or a `not_found` error listing the known
 * ones, so a typo is answered with what to type instead. Every command that takes an environment
 * looks it up here.
 */
export function requireEnvironment(
  from: { env(name: string): EnvironmentConfig | undefined; environments: readonly EnvironmentConfig[] },
  name: string,
): EnvironmentConfig {
  const env = from.env(name);
  if (env) return env;
  const known = from.environments.map((e) => e.name).join(', ') || 'none configured';
  throw new AppError('not_found', `There is no environment "${name}". Known: ${known}.`);
}
