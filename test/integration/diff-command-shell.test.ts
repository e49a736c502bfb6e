import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';
import { productionSpec, stagingSpec, startSpecServer, type SpecServer } from './diff-command-harness.ts';

/** `/autorisen diff` in the local shell: `node --import tsx src/main.ts` with piped stdin, as a newcomer runs it. */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-diff-shell-'));
let prod: SpecServer;
let staging: SpecServer;
let configPath: string;

beforeAll(async () => {
  prod = await startSpecServer(productionSpec());
  staging = await startSpecServer(stagingSpec());
  configPath = join(dir, 'autorisen.yml');
  writeFileSync(
    configPath,
    `environments:
  - name: staging
    aliases: [stage, autorisen]
    heroku_app: autorisen
    github_repo: capecraft/capecraft
    base_url: ${staging.url}
  - name: production
    aliases: [prod, capecraft]
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    base_url: ${prod.url}
    production: true
diff:
  namespace: /api/autorisen/
`,
  );
});
afterAll(async () => {
  await prod?.close();
  await staging?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (input: string) =>
  runShell(
    input.split('\n').filter((l) => l !== ''),
    { SQLITE_PATH: join(dir, `shell-${Math.random()}.db`), AUTORISEN_CONFIG: configPath },
  );

describe('/autorisen diff in the local shell', () => {
  it('compares production with staging (cross-check worker included), then answers the same diff from the cache', async () => {
    const { code, out } = await run(
      '/autorisen diff\n/autorisen diff production staging\n/autorisen diff prod ./secrets.json\n',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Comparing production → staging \(fetching specs\)/);
    expect(out).toMatch(/OpenAPI diff: production → staging[\s\S]*1 breaking · 0 warning · 1 non-breaking/);
    expect(out).toMatch(
      /POST \/api\/autorisen\/items\/[\s\S]*Model ItemCreate in requests, property sku: was added as a required property/,
    );
    expect(out).toContain('GET /api/other/ping was added outside /api/autorisen/');
    expect(out).toMatch(
      /cross-check: openapi-diff compared the JSON bodies of 1 changed operation and found nothing more/,
    );
    expect(out).toMatch(/\[non-breaking\] endpoint-added GET \/api\/other\/ping/);
    expect(out).toMatch(/cached result from .* \(same documents\)/);
    expect(out).toContain(
      '"./secrets.json" is not an environment (staging, production), an http(s) URL or a github:owner/repo@ref:path reference.',
    );
  }, 60_000);
});
