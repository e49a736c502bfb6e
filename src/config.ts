import { existsSync, readFileSync } from 'node:fs';
import { parseYaml } from './yaml.ts';
import { fileSchema, type FileConfig } from './config/file-schema.ts';
import { problemsOf } from './config/schema-kit.ts';
import type { EnvironmentConfig } from './core/environment.ts';
import { isRole, type Role } from './core/roles.ts';
import { readProbes, type Probe } from './config/probes-schema.ts';
import { readRelease, type ReleaseConfig } from './config/release-schema.ts';
import { readTasks, type TaskConfig } from './config/tasks-schema.ts';
import type { AlertRoute } from './core/alerts/routing.ts';
import type { Env } from './env.ts';
import { ConfigError } from './errors.ts';
import { readLogdrain, type LogdrainConfig } from './config/logdrain-schema.ts';
import { readGuard, type GuardConfig } from './config/guard-schema.ts';

// The core owns these domain types; re-exported for the modules that read them from the config.
export type { AlertRoute, EnvironmentConfig };

/**
 * The whole configuration: environment variables (below) plus the YAML file, whose part is the
 * inferred type of the strict zod schema in src/config/file-schema.ts (the one description of it).
 */
export interface Config {
  port: number;
  /** http: Bolt HTTP receiver; socket: Socket Mode; shell: local prompt (no Slack credentials). */
  mode: 'http' | 'socket' | 'shell';
  slack: { botToken: string | null; signingSecret: string | null; appToken: string | null; apiUrl: string };
  heroku: { apiKey: string | null; apiUrl: string; dataApiUrl: string };
  github: { token: string | null; apiUrl: string };
  /** `ssl`: DATABASE_SSL — auto (TLS without verification unless the server is local, as Heroku Postgres needs), off, no-verify, verify. */
  database: { url: string | null; sqlitePath: string; ssl: 'auto' | 'off' | 'no-verify' | 'verify' };
  logLevel: string;
  /** Webhook secrets: the current one first, then the previous one during rotation. */
  webhooks: {
    sentry: string[];
    alertmanager: string[];
    grafanaHmac: string[];
    grafanaToken: string[];
    heroku: string[];
  };
  environments: FileConfig['environments'];
  roles: FileConfig['roles'];
  approvals: FileConfig['approvals'];
  alerts: FileConfig['alerts'];
  announceChannel: string | null;
  /** `allowedHosts`: hosts besides the environments' own that `/autorisen diff` may fetch from Slack. */
  diff: FileConfig['diff'];
  /** The daily drift digest (issue 23 §4); null without a `drift:` section. */
  drift: FileConfig['drift'];
  /** Break-glass reviews (issue 23 §2): reminder interval and channel; defaults without a section. */
  breakGlass: FileConfig['break_glass'];
  /** Scheduled flag changes: the zone `at …` is read in, the grace for a late run (issue 23 §1). */
  schedule: FileConfig['schedule'];
  shell: { userId: string; role: Role };
  /**
   * Activity charts on alert messages: the bot's public base URL (Slack fetches chart images from
   * it; no image without it) and an optional secret for chart tokens (else SLACK_SIGNING_SECRET).
   */
  charts: { publicUrl: string | null; secret: string | null };
  /** Contract probes per environment name (src/config/probes-schema.ts). */
  probes: Record<string, Probe[]>;
  /** How `/autorisen release` runs (src/config/release-schema.ts). */
  release: ReleaseConfig;
  /** Allow-listed one-off tasks by name (src/config/tasks-schema.ts). */
  tasks: Record<string, TaskConfig>;
  /** Heroku log drain: per-environment credentials, drain tokens and threshold rules (issue 12). */
  logdrain: LogdrainConfig;
  /** Guarded rollouts: per environment, the guard's window, actions and thresholds (issue 21). */
  guard: GuardConfig;
}

export const DEFAULT_CONFIG_PATH = 'autorisen.config.yml';

/**
 * Read configuration once, from an injected environment and the YAML file it names.
 * Every problem is collected and reported together in one ConfigError.
 */
export function loadConfig(env: Env, readFile: (path: string) => string | null = readIfExists): Config {
  const problems: string[] = [];
  const configPath = env.AUTORISEN_CONFIG ?? DEFAULT_CONFIG_PATH;
  const rawText = readFile(configPath);
  if (rawText === null && env.AUTORISEN_CONFIG) problems.push(`AUTORISEN_CONFIG: file "${configPath}" not found`);
  let raw: Record<string, unknown> = {};
  if (rawText !== null) {
    try {
      const parsed: unknown = parseYaml(rawText);
      if (parsed === null || parsed === undefined) raw = {};
      else if (typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
      else problems.push(`${configPath}: expected a mapping at the top level`);
    } catch (err) {
      problems.push(`${configPath}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
  }

  const str = (name: string): string | null => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const url = (name: string, dflt: string): string => {
    const v = str(name) ?? dflt;
    if (!/^https?:\/\/[^\s]+$/.test(v)) problems.push(`${name}: expected an http(s) URL, got "${v}"`);
    return v.replace(/\/+$/, '');
  };

  const portText = str('PORT') ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT: expected a port number 0-65535, got "${portText}"`);

  const botToken = str('SLACK_BOT_TOKEN');
  const signingSecret = str('SLACK_SIGNING_SECRET');
  const appToken = str('SLACK_APP_TOKEN');
  let mode: Config['mode'] = 'shell';
  if (appToken) {
    mode = 'socket';
    if (!appToken.startsWith('xapp-'))
      problems.push('SLACK_APP_TOKEN: expected an app-level token starting with "xapp-"');
    if (!botToken) problems.push('SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)');
  } else if (botToken || signingSecret) {
    mode = 'http';
    if (!botToken) problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set (HTTP mode)');
    if (!signingSecret) problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (HTTP mode)');
  }
  if (str('AUTORISEN_MODE') === 'shell') mode = 'shell';

  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL: expected a postgres:// URL');
  const databaseSsl = str('DATABASE_SSL') ?? 'auto';
  if (!['auto', 'off', 'no-verify', 'verify'].includes(databaseSsl))
    problems.push(`DATABASE_SSL: expected auto, off, no-verify or verify; got "${databaseSsl}"`);

  const secrets = (current: string, previous: string): string[] =>
    [str(current), str(previous)].filter((s): s is string => s !== null);

  const file = readFileConfig(raw, rawText === null ? null : configPath, problems);
  const envNames = file.environments.map((e) => e.name);
  const logdrain = readLogdrain(raw.logdrain, env, file.environments, problems);
  const guard = readGuard(raw.guard, file.environments, problems);

  const shellRoleText = str('AUTORISEN_SHELL_ROLE') ?? 'admin';
  if (!isRole(shellRoleText))
    problems.push(`AUTORISEN_SHELL_ROLE: expected viewer, operator or admin; got "${shellRoleText}"`);
  const publicUrl = str('PUBLIC_URL');
  if (publicUrl !== null && !isBaseUrl(publicUrl))
    problems.push(
      `PUBLIC_URL: expected the bot's public http(s) base URL such as "https://autorisen-bot.herokuapp.com" (no query or credentials), got "${publicUrl}"`,
    );
  const chartSecret = str('CHART_SECRET');
  if (chartSecret !== null && chartSecret.length < 16)
    problems.push('CHART_SECRET: use at least 16 random characters (it keys the chart URLs)');
  if (publicUrl !== null && chartSecret === null && signingSecret === null)
    problems.push(
      'CHART_SECRET: required with PUBLIC_URL when SLACK_SIGNING_SECRET is not set (Socket Mode); it keys the chart URLs',
    );
  const config: Config = {
    port,
    mode,
    slack: { botToken, signingSecret, appToken, apiUrl: `${url('SLACK_API_URL', 'https://slack.com/api')}/` },
    heroku: {
      apiKey: str('HEROKU_API_KEY'),
      apiUrl: url('HEROKU_API_URL', 'https://api.heroku.com'),
      dataApiUrl: url('HEROKU_DATA_API_URL', 'https://api.data.heroku.com'),
    },
    github: { token: str('GITHUB_TOKEN'), apiUrl: url('GITHUB_API_URL', 'https://api.github.com') },
    database: {
      url: databaseUrl,
      sqlitePath: str('SQLITE_PATH') ?? './data/autorisen.db',
      ssl: databaseSsl as Config['database']['ssl'],
    },
    logLevel,
    webhooks: {
      sentry: secrets('SENTRY_CLIENT_SECRET', 'SENTRY_CLIENT_SECRET_PREVIOUS'),
      alertmanager: secrets('ALERTMANAGER_TOKEN', 'ALERTMANAGER_TOKEN_PREVIOUS'),
      grafanaHmac: secrets('GRAFANA_WEBHOOK_SECRET', 'GRAFANA_WEBHOOK_SECRET_PREVIOUS'),
      grafanaToken: secrets('GRAFANA_TOKEN', 'GRAFANA_TOKEN_PREVIOUS'),
      heroku: secrets('HEROKU_WEBHOOK_SECRET', 'HEROKU_WEBHOOK_SECRET_PREVIOUS'),
    },
    environments: file.environments,
    roles: file.roles,
    approvals: file.approvals,
    alerts: file.alerts,
    announceChannel: file.announce_channel ?? null,
    diff: file.diff,
    drift: file.drift,
    breakGlass: file.break_glass,
    schedule: file.schedule,
    shell: { userId: str('AUTORISEN_SHELL_USER') ?? 'ULOCAL', role: isRole(shellRoleText) ? shellRoleText : 'viewer' },
    charts: { publicUrl: publicUrl?.replace(/\/+$/, '') ?? null, secret: chartSecret },
    probes: readProbes(raw.probes, env, envNames, problems),
    release: readRelease(raw.release, envNames, problems),
    tasks: readTasks(raw.tasks, envNames, readRelease(raw.release, envNames, []), problems),
    logdrain,
    guard,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** The YAML file's sections through the strict schema; on any problem, the defaults (the error is thrown anyway). */
function readFileConfig(raw: Record<string, unknown>, path: string | null, problems: string[]): FileConfig {
  const parsed = fileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  problems.push(...problemsOf(parsed.error).map((p) => (path && p.startsWith('(top level)') ? `${path}: ${p}` : p)));
  return fileSchema.parse({});
}

/** An http(s) URL with a host and no query, fragment or credentials: a base to append paths to. */
function isBaseUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (
      (u.protocol === 'https:' || u.protocol === 'http:') &&
      u.host !== '' &&
      !u.search &&
      !u.hash &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object') {
    for (const v of Object.values(obj)) deepFreeze(v);
    Object.freeze(obj);
  }
  return obj;
}
