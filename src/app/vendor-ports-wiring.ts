import type { Config } from '../config.ts';
import { unconfiguredGitHub, unconfiguredHeroku } from '../adapters/unconfigured.ts';
import { createHerokuAdapter } from '../adapters/heroku/heroku-adapter.ts';
import { HerokuReadCache } from '../adapters/heroku/heroku-read-cache.ts';
import { createGitHubAdapter } from '../adapters/github/github-adapter.ts';
import { createSpecSource } from '../adapters/openapi/spec-source.ts';
import type { Clock } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { SpecDiffPort } from '../ports/spec-diff.ts';
import type { Store } from '../ports/store.ts';
import type { AppOptions } from './app-options.ts';
import type { DevKit } from './dev-kit.ts';

/**
 * The vendor-facing ports: Heroku (one budget and read cache, an essential and a low-priority view),
 * GitHub, the OpenAPI diff and spec source; the sandbox stands in for what has no credential.
 */
export function vendorPorts(
  config: Config,
  options: AppOptions,
  { store, clock, log, dev }: { store: Store; clock: Clock; log: Logger; dev: DevKit | null },
) {
  // The local shell simulates what has no credential (src/dev/sandbox.ts); HTTP and Socket Mode never do.
  const sandbox =
    dev?.createSandbox(config, {
      exampleConfig: options.exampleConfig === true,
      freshDatabase: options.freshDatabase === true,
      now: () => clock.now(),
    }) ?? null;
  // One budget and read cache per process, shared by the essential view and the one reads that give way use.
  const readCache = options.heroku?.readCache ?? new HerokuReadCache(() => clock.now());
  const herokuView = (priority: 'essential' | 'low'): HerokuPort =>
    config.heroku.apiKey
      ? createHerokuAdapter(config.heroku, {
          environments: config.environments,
          ...options.heroku,
          readCache,
          priority,
        })
      : (sandbox?.heroku ?? unconfiguredHeroku());
  const heroku = herokuView('essential');
  const github: GitHubPort = config.github.token
    ? createGitHubAdapter({ token: config.github.token, apiUrl: config.github.apiUrl, log, ...options.github })
    : (sandbox?.github ?? unconfiguredGitHub());
  // OpenAPI diff (issue 4): our engine behind the result cache, plus the bounded openapi-diff cross-check on request.
  // Loaded at the first diff, not at boot (docs/BENCHMARKS.md, start-up): most bots never diff between restarts.
  let diffService: Promise<SpecDiffPort> | undefined;
  const loadDiffService = async (): Promise<SpecDiffPort> => {
    const [{ OpenApiDiffEngine }, { createOpenApiDiffCrossCheck }, { diffEngineVersion }, { createDiffService }] =
      await Promise.all([
        import('../adapters/openapi/engine.ts'),
        import('../adapters/openapi/cross-check.ts'),
        import('../adapters/openapi/engine-version.ts'),
        import('../services/diff-service.ts'),
      ]);
    return createDiffService({
      engine: new OpenApiDiffEngine(),
      cache: store.diffCache,
      crossCheck: createOpenApiDiffCrossCheck(),
      engineVersion: diffEngineVersion(),
      defaultNamespace: config.diff.namespace,
      rules: config.diff.rules,
      clock,
      log,
    });
  };
  const specDiff: SpecDiffPort = {
    diff: async (base, revision, options) => (await (diffService ??= loadDiffService())).diff(base, revision, options),
  };
  const realSpecs = createSpecSource(config.github.token || sandbox?.github ? { github } : {});
  const specs = sandbox ? sandbox.wrapSpecs(realSpecs) : realSpecs;

  return { sandbox, readCache, herokuView, heroku, github, specDiff, specs };
}
