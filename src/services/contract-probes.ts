import type { EnvironmentConfig } from '../config.ts';
import type { Probe } from '../config/probes-schema.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { ProbeOutcome } from '../ports/probes.ts';
import { FLAG_VAR } from './deploys/plan.ts';
import type { HttpProbe } from './workflows/types.ts';

/** One probe's own timeout. */
export const PROBE_TIMEOUT_MS = 10_000;

/** GET a URL over HTTP, answering its status; redirects are answers too (a 302 to a login page is not a 200). */
export const httpProbe: HttpProbe = async (url, opts) => {
  const res = await fetch(url, {
    headers: opts.headers ?? {},
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeoutMs),
  });
  await res.body?.cancel().catch(() => undefined);
  return res.status;
};

/** One probe's answer: the port's ProbeOutcome (what the checklist stores and shows). */
export type ProbeResult = ProbeOutcome;

export interface ProbeReport {
  env: string;
  /** The flag as read from Heroku: on / off, or null when it could not be read. */
  flag: 'on' | 'off' | null;
  results: ProbeResult[];
  /** Probes not run because they depend on the other flag state. */
  skipped: number;
  ok: boolean;
}

const isOn = (v: string | undefined): boolean => /^(1|true|on|yes)$/i.test(v?.trim() ?? '');

/** Run an environment's contract probes against its base URL, choosing by the flag Heroku reports now. */
export async function runContractProbes(
  deps: { http: HttpProbe; heroku: HerokuPort },
  env: EnvironmentConfig,
  probes: readonly Probe[],
): Promise<ProbeReport> {
  const needsFlag = probes.some((p) => p.whenFlag !== 'any');
  let flag: 'on' | 'off' | null = null;
  if (needsFlag) {
    const vars = await deps.heroku.getConfigVars(env.herokuApp).catch(() => null);
    flag = vars ? (isOn(vars[FLAG_VAR]) ? 'on' : 'off') : null;
  }
  const chosen = probes.filter((p) => p.whenFlag === 'any' || p.whenFlag === flag);
  const base = env.baseUrl.replace(/\/+$/, '');
  const results = await Promise.all(
    chosen.map(async (p): Promise<ProbeResult> => {
      const url = `${base}${p.path}`;
      try {
        const status = await deps.http(url, {
          timeoutMs: PROBE_TIMEOUT_MS,
          ...(p.token ? { headers: { authorization: `Bearer ${p.token}` } } : {}),
        });
        return { name: p.name, url, expect: p.expect, status, error: null, ok: status === p.expect };
      } catch (err) {
        return {
          name: p.name,
          url,
          expect: p.expect,
          status: null,
          error: err instanceof Error ? err.message : 'no answer',
          ok: false,
        };
      }
    }),
  );
  if (needsFlag && flag === null)
    results.push({
      name: `${FLAG_VAR} readable`,
      url: '',
      expect: 0,
      status: null,
      error: 'could not read the flag from Heroku',
      ok: false,
    });
  return { env: env.name, flag, results, skipped: probes.length - chosen.length, ok: results.every((r) => r.ok) };
}

/** One line per probe: ✅/❌ name → status (expected). */
export function probeLines(report: ProbeReport): string[] {
  return report.results.map(
    (r) =>
      `${r.ok ? ':white_check_mark:' : ':x:'} ${r.name}: ${r.status ?? r.error ?? 'no answer'}${r.ok ? '' : ` (expected ${r.expect})`}`,
  );
}
