import type { Config, EnvironmentConfig } from './config.ts';
import { isRole } from './core/roles.ts';

/*
 * The sections of the YAML config file, read by loadConfig (config.ts). Each reader appends every
 * problem it finds to `problems` (naming the key and what it expects) and returns its best reading,
 * so one ConfigError can list them all.
 */

/** `environments:` — every entry checked, problems named by index and key. */
export function readEnvironments(value: unknown, problems: string[]): EnvironmentConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('environments: expected a list of environments');
    return [];
  }
  const out: EnvironmentConfig[] = [];
  value.forEach((item: unknown, i) => {
    const at = `environments[${i}]`;
    if (!item || typeof item !== 'object') {
      problems.push(`${at}: expected a mapping`);
      return;
    }
    const e = item as Record<string, unknown>;
    const need = (key: string): string => {
      const v = e[key];
      if (typeof v !== 'string' || v.trim() === '') {
        problems.push(`${at}.${key}: required, expected a string`);
        return '';
      }
      return v.trim();
    };
    const bool = (key: string, dflt: boolean): boolean => {
      const v = e[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'boolean') problems.push(`${at}.${key}: expected true or false`);
      return v === true;
    };
    const name = need('name');
    const herokuApp = need('heroku_app');
    const repoText = need('github_repo');
    const [owner, repo] = repoText.split('/');
    if (repoText && (!owner || !repo)) problems.push(`${at}.github_repo: expected "owner/repo", got "${repoText}"`);
    const baseUrl = need('base_url').replace(/\/+$/, '');
    if (baseUrl && !/^https?:\/\//.test(baseUrl)) problems.push(`${at}.base_url: expected an http(s) URL`);
    const production = bool('production', false);
    const verify = e.verify_seconds ?? 120;
    if (typeof verify !== 'number' || verify <= 0)
      problems.push(`${at}.verify_seconds: expected a positive number of seconds`);
    const aliases = e.aliases ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string'))
      problems.push(`${at}.aliases: expected a list of names`);
    const deployChannel = e.deploy_channel;
    if (deployChannel !== undefined && typeof deployChannel !== 'string')
      problems.push(`${at}.deploy_channel: expected a channel id`);
    const healthPath = e.health_path ?? '/healthz';
    if (typeof healthPath !== 'string' || !healthPath.startsWith('/'))
      problems.push(`${at}.health_path: expected a path starting with "/"`);
    if (out.some((o) => o.name === name)) problems.push(`${at}.name: "${name}" is used twice`);
    out.push({
      name,
      aliases: Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [],
      herokuApp,
      github: { owner: owner ?? '', repo: repo ?? '' },
      branch: typeof e.branch === 'string' ? e.branch : 'main',
      baseUrl,
      healthPath: typeof healthPath === 'string' ? healthPath : '/healthz',
      verifySeconds: typeof verify === 'number' ? verify : 120,
      production,
      requiresApproval: bool('requires_approval', production),
      backupBeforeDeploy: bool('backup_before_deploy', production),
      deployChannel: typeof deployChannel === 'string' ? deployChannel : null,
    });
  });
  return out;
}

/** `roles:` — user and user-group ids mapped to viewer/operator/admin. */
export function readRoles(value: unknown, problems: string[]): Config['roles'] {
  const roles: Config['roles'] = { users: {}, groups: {}, defaultRole: 'viewer' };
  if (value === undefined) return roles;
  if (!value || typeof value !== 'object') {
    problems.push('roles: expected a mapping with users, groups and default');
    return roles;
  }
  const r = value as Record<string, unknown>;
  for (const key of ['users', 'groups'] as const) {
    const m = r[key];
    if (m === undefined) continue;
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      problems.push(`roles.${key}: expected a mapping of Slack ${key === 'users' ? 'user' : 'user-group'} id to role`);
      continue;
    }
    for (const [id, role] of Object.entries(m)) {
      if (!isRole(role)) problems.push(`roles.${key}.${id}: expected viewer, operator or admin; got "${String(role)}"`);
      else roles[key][id] = role;
    }
  }
  if (r.default !== undefined) {
    if (!isRole(r.default))
      problems.push(`roles.default: expected viewer, operator or admin; got "${String(r.default)}"`);
    else roles.defaultRole = r.default;
  }
  return roles;
}

/** `approvals:` — the expiry of pending requests. */
export function readApprovals(value: unknown, problems: string[]): Config['approvals'] {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>).ttl_minutes : undefined;
  if (v === undefined) return { ttlMinutes: 30 };
  if (typeof v !== 'number' || v <= 0) {
    problems.push('approvals.ttl_minutes: expected a positive number of minutes');
    return { ttlMinutes: 30 };
  }
  return { ttlMinutes: v };
}

/** `alerts:` — default channel, routes, context window, retention. */
export function readAlerts(value: unknown, problems: string[], envs: EnvironmentConfig[]): Config['alerts'] {
  const out: Config['alerts'] = { defaultChannel: null, routes: [], contextWindowMinutes: 60, retentionDays: 30 };
  if (value === undefined) return out;
  if (!value || typeof value !== 'object') {
    problems.push('alerts: expected a mapping with default_channel and routes');
    return out;
  }
  const a = value as Record<string, unknown>;
  if (a.default_channel !== undefined) {
    if (typeof a.default_channel !== 'string') problems.push('alerts.default_channel: expected a channel id');
    else out.defaultChannel = a.default_channel;
  }
  if (a.context_window_minutes !== undefined) {
    if (typeof a.context_window_minutes !== 'number' || a.context_window_minutes < 0)
      problems.push('alerts.context_window_minutes: expected a number of minutes');
    else out.contextWindowMinutes = a.context_window_minutes;
  }
  // At least a day: a pruned delivery can no longer be recognised as a duplicate when a sender retries it.
  if (a.retention_days !== undefined) {
    if (typeof a.retention_days !== 'number' || a.retention_days < 1)
      problems.push('alerts.retention_days: expected a number of days, at least 1');
    else out.retentionDays = a.retention_days;
  }
  if (a.routes !== undefined) {
    if (!Array.isArray(a.routes)) problems.push('alerts.routes: expected a list of rules');
    else
      a.routes.forEach((r: unknown, i) => {
        if (!r || typeof r !== 'object') {
          problems.push(`alerts.routes[${i}]: expected a mapping`);
          return;
        }
        const rr = r as Record<string, unknown>;
        if (typeof rr.channel !== 'string')
          problems.push(`alerts.routes[${i}].channel: required, expected a channel id`);
        for (const k of ['source', 'env', 'severity', 'project'] as const) {
          if (rr[k] !== undefined && typeof rr[k] !== 'string')
            problems.push(`alerts.routes[${i}].${k}: expected a string`);
        }
        if (typeof rr.env === 'string' && !envs.some((e) => e.name === rr.env))
          problems.push(`alerts.routes[${i}].env: no environment named "${rr.env}"`);
        out.routes.push({
          channel: String(rr.channel ?? ''),
          ...(typeof rr.source === 'string' ? { source: rr.source } : {}),
          ...(typeof rr.env === 'string' ? { env: rr.env } : {}),
          ...(typeof rr.severity === 'string' ? { severity: rr.severity } : {}),
          ...(typeof rr.project === 'string' ? { project: rr.project } : {}),
        });
      });
  }
  return out;
}
