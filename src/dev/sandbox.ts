/**
 * The local shell's sandbox: on a fresh clone (no HEROKU_API_KEY, GITHUB_TOKEN or config file) the
 * shell simulates what is missing, so the flag workflow, approvals, deploys and the diff can be
 * tried for real. Only the composition root calls this, and only in shell mode: HTTP and Socket Mode
 * never simulate anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { SpecSourcePort } from '../ports/spec-source.ts';
import type { HttpProbe } from '../services/workflows/types.ts';
import { createSandboxGitHub } from './sandbox-github.ts';
import { createSandboxHeroku, type SandboxHeroku } from './sandbox-heroku.ts';
import { sandboxProbe, sandboxSpecSource } from './sandbox-specs.ts';

/** The example config the shell falls back to when no config file exists. */
export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../autorisen.config.example.yml', import.meta.url));

/**
 * Workflows on the sandbox Heroku: vendor polls every 0.2 s, and the release's bakes on a compressed
 * clock (one bake minute = 0.2 s), so a whole `/autorisen release` (10 + 30 min of bake by default)
 * ends in seconds. Only bake windows are compressed: timestamps, approval expiry and ages stay real.
 */
export const SANDBOX_WORKFLOWS = { pollMs: 200, bakePollMs: 1_000, bakeMinuteMs: 200 } as const;

export interface SandboxOptions {
  /** The environments came from autorisen.config.example.yml because no config file was found. */
  exampleConfig: boolean;
  /** The bot's database is this run's only (sandboxDatabase): said in the banner. */
  freshDatabase?: boolean;
  now: () => number;
}

/** What the sandbox replaces; null fields are real (their credential is set). */
export interface Sandbox {
  heroku: SandboxHeroku | null;
  github: GitHubPort | null;
  /** Health checks of the simulated apps (with the sandbox Heroku only). */
  probe: HttpProbe | undefined;
  /** Workflow polls and the bake minute (with the sandbox Heroku only: nothing real is released). */
  workflows: typeof SANDBOX_WORKFLOWS | undefined;
  /** Serve the simulated environments' /openapi.json (example environments on the sandbox Heroku only). */
  wrapSpecs(inner: SpecSourcePort): SpecSourcePort;
  /** One line for the start of the shell: what is simulated, and how to use the real thing. */
  banner: string;
}

/**
 * The shell's database when the sandbox simulates Heroku and neither SQLITE_PATH nor DATABASE_URL is
 * set: a file of this run's only, removed at exit. The simulated Heroku starts afresh every run, so a
 * lock, approval or run kept from an earlier one would point at releases that no longer exist.
 */
export function sandboxDatabase(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): Config['database'] | null {
  if (config.mode !== 'shell' || config.heroku.apiKey !== null || config.database.url !== null) return null;
  if (env.SQLITE_PATH) return null;
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-shell-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { ...config.database, sqlitePath: join(dir, 'autorisen.db') };
}

/** The sandbox for a shell-mode config, or null when nothing is missing (or not in shell mode). */
export function createSandbox(config: Config, opts: SandboxOptions): Sandbox | null {
  if (config.mode !== 'shell') return null;
  const simulateHeroku = config.heroku.apiKey === null;
  const simulateGitHub = config.github.token === null;
  if (!simulateHeroku && !simulateGitHub && !opts.exampleConfig) return null;

  const apps = [
    ...new Map(config.environments.map((e) => [e.herokuApp, { name: e.herokuApp, production: e.production }])).values(),
  ];
  const repos = [...new Set(config.environments.map((e) => `${e.github.owner}/${e.github.repo}`))];
  const heroku = simulateHeroku ? createSandboxHeroku(apps, opts.now) : null;
  const github = simulateGitHub ? createSandboxGitHub(repos, opts.now) : null;

  const simulated: string[] = [];
  const fix: string[] = [];
  if (heroku) {
    simulated.push(`Heroku (${apps.map((a) => a.name).join(', ') || 'no apps'})`);
    fix.push('HEROKU_API_KEY');
  }
  const clockNote = heroku
    ? ` Release bakes run on a sandbox clock: 1 min takes ${SANDBOX_WORKFLOWS.bakeMinuteMs / 1000} s.`
    : '';
  if (github) {
    simulated.push(`GitHub (${repos.join(', ') || 'no repositories'})`);
    fix.push('GITHUB_TOKEN');
  }
  const what = simulated.length ? `${simulated.join(' and ')} simulated in memory` : '';
  const envs = opts.exampleConfig ? 'the environments of autorisen.config.example.yml' : '';
  const real = [
    fix.length ? `set ${fix.join(' / ')}` : '',
    opts.exampleConfig ? 'create autorisen.config.yml (or set AUTORISEN_CONFIG)' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const dbNote = opts.freshDatabase
    ? " The bot's database (locks, approvals, runs, audit) is fresh for this run too; set SQLITE_PATH to keep one."
    : '';
  const banner = `Sandbox: ${[what, envs].filter(Boolean).join(', with ')}; nothing real changes. To use the real services, ${real} and restart.${clockNote}${dbNote}`;

  return {
    heroku,
    github,
    probe: heroku ? sandboxProbe : undefined,
    workflows: heroku ? SANDBOX_WORKFLOWS : undefined,
    wrapSpecs: (inner) =>
      heroku && opts.exampleConfig
        ? sandboxSpecSource(inner, config.environments, (app) => heroku.runningSha(app))
        : inner,
    banner,
  };
}
