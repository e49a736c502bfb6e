/**
 * The sandbox's running apps, seen from outside: `<baseUrl>/openapi.json` of each simulated
 * environment answers the openapi.json of the commit its (sandbox) Heroku app runs, and health
 * checks answer 200. Everything else goes to the real spec source (files, other URLs, github:).
 */
import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config.ts';
import type { SpecSourcePort } from '../ports/spec-source.ts';
import type { HttpProbe } from '../services/workflows/types.ts';
import { commitIndex, fileAt } from './sandbox-repo.ts';

/** The sandbox apps always answer their health check: there is no dyno to be down. */
export const sandboxProbe: HttpProbe = async () => 200;

/** Wrap `inner` so the environments' own /openapi.json come from the sandbox. */
export function sandboxSpecSource(
  inner: SpecSourcePort,
  environments: readonly EnvironmentConfig[],
  runningSha: (app: string) => string | null,
): SpecSourcePort {
  const appFor = new Map(environments.map((e) => [`${e.baseUrl.replace(/\/+$/, '')}/openapi.json`, e.herokuApp]));
  return {
    async load(ref) {
      const app = appFor.get(ref);
      const sha = app === undefined ? null : runningSha(app);
      const text = sha === null ? null : fileAt(commitIndex(sha), 'openapi.json');
      if (text === null) return inner.load(ref);
      return {
        label: ref,
        document: JSON.parse(text) as unknown,
        sha256: createHash('sha256').update(text).digest('hex'),
      };
    },
  };
}
