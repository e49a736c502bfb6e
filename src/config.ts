import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.ts';
import { isRole, type Role } from './core/roles.ts';
import { readAlerts, readApprovals, readEnvironments, readRoles } from './config-sections.ts';
import { readLogdrain, type LogdrainConfig } from './config/logdrain-schema.ts';

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
  /** Changes (flag on, deploy, rollback) need a second person's approval. */
  requiresApproval: boolean;
  /** Take a Heroku Postgres backup before deploying. */
  backupBeforeDeploy: boolean;
  /** Channel for deploy/release announcements and Heroku events. */
  deployChannel: string | null;
}

export interface AlertRoute {
  source?: string;
  env?: string;
  severity?: string;
  project?: string;
  channel: string;
}

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
  environments: EnvironmentConfig[];
  roles: { users: Record<string, Role>; groups: Record<string, Role>; defaultRole: Role };
  approvals: { ttlMinutes: number };
  alerts: { defaultChannel: string | null; routes: AlertRoute[]; contextWindowMinutes: number; retentionDays: number };
  announceChannel: string | null;
  /** `allowedHosts`: hosts besides the environments' own that `/autorisen diff` may fetch from Slack. */
  diff: { namespace: string; allowedHosts: string[] };
  shell: { userId: string; role: Role };
  /**
   * Activity charts on alert messages: the bot's public base URL (Slack fetches chart images from
   * it; no image without it) and an optional secret for chart tokens (else SLACK_SIGNING_SECRET).
   */
  charts: { publicUrl: string | null; secret: string | null };
  /** Heroku log drain: per-environment credentials, drain tokens and threshold rules (issue 12). */
  logdrain: LogdrainConfig;
}

export const DEFAULT_CONFIG_PATH = 'autorisen.config.yml';

type Env = Record<string, string | undefined>;

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

  const environments = readEnvironments(raw.environments, problems);
  const roles = readRoles(raw.roles, problems);
  const approvals = readApprovals(raw.approvals, problems);
  const alerts = readAlerts(raw.alerts, problems, environments);
  const logdrain = readLogdrain(raw.logdrain, env, environments, problems);
  const diffRaw = raw.diff && typeof raw.diff === 'object' ? (raw.diff as Record<string, unknown>) : {};
  const diffNs = diffRaw.namespace;
  if (diffNs !== undefined && typeof diffNs !== 'string')
    problems.push('diff.namespace: expected a path prefix such as "/api/autorisen/"');
  const allowedHosts = diffRaw.allowed_hosts ?? [];
  if (!Array.isArray(allowedHosts) || allowedHosts.some((h) => typeof h !== 'string' || h.includes('/')))
    problems.push('diff.allowed_hosts: expected a list of host names such as "api.example.com"');

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
  const announce = raw.announce_channel;
  if (announce !== undefined && typeof announce !== 'string') problems.push('announce_channel: expected a channel id');

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
    environments,
    roles,
    approvals,
    alerts,
    announceChannel: typeof announce === 'string' ? announce : null,
    diff: {
      namespace: typeof diffNs === 'string' ? diffNs : '/api/autorisen/',
      allowedHosts: Array.isArray(allowedHosts)
        ? allowedHosts.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase())
        : [],
    },
    shell: { userId: str('AUTORISEN_SHELL_USER') ?? 'ULOCAL', role: isRole(shellRoleText) ? shellRoleText : 'viewer' },
    charts: { publicUrl: publicUrl?.replace(/\/+$/, '') ?? null, secret: chartSecret },
    logdrain,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
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
