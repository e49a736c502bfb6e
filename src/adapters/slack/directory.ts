import type { Config } from '../../config.ts';
import type { DirectoryPort } from '../../ports/directory.ts';
import type { Logger } from '../../ports/logger.ts';
import { callSlack, createWebClient, type SlackClientOptions } from './client.ts';

/** How long group membership is trusted: role changes through groups apply within 5 minutes. */
export const DIRECTORY_TTL_MS = 5 * 60_000;
/** After a failed usergroups.list, wait this long before asking again (Tier 2: 20+/min, §A5). */
export const DIRECTORY_FAILURE_TTL_MS = 30_000;

export interface SlackDirectoryOptions extends SlackClientOptions {
  ttlMs?: number;
  failureTtlMs?: number;
  now?: () => number;
}

/**
 * DirectoryPort from usergroups.list (include_users), the whole map cached. If Slack fails, users
 * get no groups (so only per-user roles apply) and a warning is logged; never an error for the user.
 */
export function createSlackDirectory(
  config: Pick<Config, 'slack'>,
  log: Logger,
  opts: SlackDirectoryOptions = {},
): DirectoryPort {
  const client = createWebClient(config, log, opts);
  const now = opts.now ?? Date.now;
  const ttl = opts.ttlMs ?? DIRECTORY_TTL_MS;
  const failureTtl = opts.failureTtlMs ?? DIRECTORY_FAILURE_TTL_MS;
  let cache: { byUser: Map<string, string[]>; expires: number } | null = null;
  let inFlight: Promise<Map<string, string[]>> | null = null;

  const load = async (): Promise<Map<string, string[]>> => {
    try {
      const res = await callSlack('usergroups.list', () => client.usergroups.list({ include_users: true }), opts);
      const byUser = new Map<string, string[]>();
      for (const g of res.usergroups ?? []) {
        if (!g.id || (g.date_delete ?? 0) > 0) continue;
        for (const u of g.users ?? []) byUser.set(u, [...(byUser.get(u) ?? []), g.id]);
      }
      cache = { byUser, expires: now() + ttl };
      return byUser;
    } catch (err) {
      log.warn({ err }, 'usergroups.list failed; treating users as members of no groups until it works again');
      cache = { byUser: new Map(), expires: now() + failureTtl };
      return cache.byUser;
    }
  };

  return {
    async groupsOf(userId: string): Promise<string[]> {
      if (cache && cache.expires > now()) return cache.byUser.get(userId) ?? [];
      // One request at a time even when many commands arrive together.
      inFlight ??= load().finally(() => {
        inFlight = null;
      });
      return (await inFlight).get(userId) ?? [];
    },
  };
}
