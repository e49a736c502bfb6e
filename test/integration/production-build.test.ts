import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { buildPackage, ROOT } from '../support/built-package.ts';

// One build for the file: tsc over the whole project takes a while on a shared machine.
let dir = '';
beforeAll(() => {
  dir = buildPackage();
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Procfile's process types, e.g. { web: 'node dist/src/main.js' }. */
function procfile(): Record<string, string> {
  const lines = readFileSync(join(dir, 'Procfile'), 'utf8').split('\n').filter(Boolean);
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

/** `node <file>` → the file; anything else (npm, tsx, npx) fails the test. */
function nodeScript(command: string): string {
  const m = /^node (\S+\.js)$/.exec(command);
  expect(m, `"${command}" should run plain node on a built .js file`).not.toBeNull();
  expect(existsSync(join(dir, m![1]!)), `${m![1]} is produced by the build`).toBe(true);
  return m![1]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Poll the bot's /healthz until it answers 200 (up to 20 s) or the process exits; the last status. */
async function healthzStatus(bot: ChildProcess, port: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 200 && status !== 200 && bot.exitCode === null; i++) {
    status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

describe('the Procfile', () => {
  it('migrates and serves /healthz with plain node on the build, without tsx installed', async () => {
    const { release, web } = procfile();
    const env = {
      PATH: process.env.PATH ?? '',
      SQLITE_PATH: join(dir, 'bot.db'),
      AUTORISEN_CONFIG: join(ROOT, 'autorisen.config.example.yml'),
      LOG_LEVEL: 'warn',
    };
    const migrated = spawnSync(process.execPath, [nodeScript(release!)], { cwd: dir, env, encoding: 'utf8' });
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);

    const slack = await FakeSlackApi.start();
    const port = await freePort();
    const bot = spawn(process.execPath, [nodeScript(web!)], {
      cwd: dir,
      env: {
        ...env,
        PORT: String(port),
        SLACK_BOT_TOKEN: 'xoxb-build-test',
        SLACK_SIGNING_SECRET: 'build-test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let logs = '';
    bot.stderr.on('data', (c) => (stderr += c));
    bot.stdout.on('data', (c) => (logs += c));
    const exited = new Promise<number | null>((r) => bot.once('exit', (code) => r(code)));
    try {
      const status = await healthzStatus(bot, port);
      expect(stderr).toBe('');
      expect(status).toBe(200);
      // LOG_LEVEL=warn: any line is a warning or an error, e.g. a worker thread that failed to load.
      expect(logs).toBe('');
      // Heroku stops a dyno with SIGTERM; the bot closes its store and exits 0.
      bot.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      bot.kill('SIGKILL');
      await slack.close();
    }
  });
});

/**
 * The bundle's output files (`main.js`, `chunk-….js`) → the modules each holds, as the trace names
 * them: `/dist/src/app.js`, `/node_modules/zod/…`.
 */
function bundleMap(): Record<string, string[]> {
  const map = JSON.parse(readFileSync(join(dir, 'dist/src/bundle-map.json'), 'utf8')) as Record<string, string[]>;
  return Object.fromEntries(
    Object.entries(map).map(([file, modules]) => [
      file,
      modules.map((m) => (m.startsWith('node_modules/') ? `/${m}` : `/dist/${m}`)),
    ]),
  );
}

describe('the boot footprint', () => {
  // Loaded at first use, not at boot (docs/BENCHMARKS.md, start-up): a bot on SQLite that has not yet
  // called GitHub, diffed a spec or received a log drain loads none of these.
  const LAZY = [
    '/node_modules/pg/',
    '/node_modules/octokit/',
    '/node_modules/@octokit/',
    '/node_modules/openapi-diff/',
  ];
  const LAZY_TOO = ['/node_modules/hdr-histogram-js/', '/dist/src/adapters/openapi/engine.js'];
  // The shell's pieces (src/dev) load in shell mode only (src/app/dev-kit.ts).
  const SHELL_ONLY = ['/dist/src/dev/'];

  it('boots from the bundle on SQLite without loading pg, octokit, the OpenAPI engine, openapi-diff, hdr-histogram-js, src/dev or zod locales', async () => {
    // Every module the process loads: ESM through a resolve hook, CommonJS from require.cache at exit.
    writeFileSync(
      join(dir, 'trace-hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  appendFileSync(process.env.TRACE_OUT, r.url + '\\n');
  return r;
}`,
    );
    writeFileSync(
      join(dir, 'trace-modules.mjs'),
      `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(new URL('./trace-hooks.mjs', import.meta.url));
process.on('exit', () => appendFileSync(process.env.TRACE_OUT, Object.keys(createRequire(import.meta.url).cache).join('\\n')));`,
    );
    const trace = join(dir, 'modules.txt');
    const slack = await FakeSlackApi.start();
    const port = await freePort();
    const bot = spawn(process.execPath, ['--import', './trace-modules.mjs', 'dist/src/main.js'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        TRACE_OUT: trace,
        SQLITE_PATH: join(dir, 'footprint.db'),
        AUTORISEN_CONFIG: join(ROOT, 'autorisen.config.example.yml'),
        LOG_LEVEL: 'warn',
        PORT: String(port),
        SLACK_BOT_TOKEN: 'xoxb-build-test',
        SLACK_SIGNING_SECRET: 'build-test-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        // Configured, so their adapters are built at boot: only their libraries wait for first use.
        GITHUB_TOKEN: 'ghp_footprint',
        HEROKU_API_KEY: 'footprint-key',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => bot.once('exit', (code) => r(code)));
    try {
      const status = await healthzStatus(bot, port);
      expect(status).toBe(200);
      bot.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      bot.kill('SIGKILL');
      await slack.close();
    }
    const files = readFileSync(trace, 'utf8').split('\n');
    // Our code boots from the bundle (scripts/bundle-web.mjs), never from tsc's one-file-per-module
    // tree beside it: loading that is what made boot slow (docs/BENCHMARKS.md, start-up).
    const bundle = bundleMap();
    const ours = files
      .filter((f) => f.includes('/dist/src/') && !f.includes('/node_modules/'))
      .map((f) => f.slice(f.lastIndexOf('/dist/src/') + 10));
    expect(ours).toContain('main.js');
    expect(ours.filter((f) => !(f in bundle))).toEqual([]);
    // Every module loaded, with each bundle file standing for the modules it holds.
    const loaded = [...files, ...ours.flatMap((f) => bundle[f]!)];
    // The trace sees both kinds of module: Bolt (CommonJS) and our own build (ESM).
    expect(loaded.some((m) => m.includes('/node_modules/@slack/bolt/'))).toBe(true);
    expect(loaded.some((m) => m.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(loaded.some((m) => m.endsWith('/dist/src/app.js'))).toBe(true);
    const notYet = [...LAZY, ...LAZY_TOO, ...SHELL_ONLY];
    expect(loaded.filter((m) => notYet.some((lazy) => m.includes(lazy)))).toEqual([]);
    // zod's locales are 64 modules; the bundle keeps the English messages the config errors use
    // (it imports zod as a namespace, so unused parts drop out: scripts/bundle-web.mjs).
    expect(loaded.filter((m) => m.includes('/node_modules/zod/v4/locales/') && !m.endsWith('/en.js'))).toEqual([]);
  });
});

describe('the bundled web entry', () => {
  it('finds the files next to its lazily loaded modules: the sandbox example config, the diff engine and its worker', () => {
    // Shell mode (no Slack tokens): src/dev reads the example config, and a diff loads the OpenAPI
    // engine, hashes its directory and runs openapi-diff's cross-check in a worker thread, each from
    // a path relative to its module (scripts/bundle-web.mjs keeps those pointing into tsc's tree).
    const run = spawnSync(process.execPath, ['dist/src/main.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', SQLITE_PATH: join(dir, 'shell.db') },
      input: '/autorisen diff\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('with the environments of autorisen.config.example.yml');
    expect(run.stdout).toContain('1 breaking');
    expect(run.stdout).toContain('cross-check: openapi-diff compared');
    expect(run.status).toBe(0);
  });
});

describe('the CLI as an installed package', () => {
  it('runs the compiled diff without tsx', () => {
    const spec = (paths: object) => JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths });
    writeFileSync(join(dir, 'base.json'), spec({ '/a': { get: { responses: { 200: { description: 'ok' } } } } }));
    writeFileSync(join(dir, 'rev.json'), spec({}));
    const run = spawnSync(process.execPath, [join(dir, 'bin/autorisen.js'), 'diff', 'base.json', 'rev.json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('1 breaking');
    expect(run.status).toBe(1);
  });

  it('declares the build as what the package ships and what npm pack builds', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.autorisen).toBe('bin/autorisen.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/autorisen.js', 'dist/']));
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.dependencies.tsx).toBeUndefined();
  });
});
