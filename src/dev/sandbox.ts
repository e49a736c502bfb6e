/**
 * The local shell's sandbox: on a fresh clone (no HEROKU_API_KEY, GITHUB_TOKEN or config file) the
 * shell simulates what is missing, so the flag workflow, approvals, deploys and the diff can be
 * tried for real. Only the composition root calls this, and only in shell mode: HTTP and Socket Mode
 * never simulate anything.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { SpecSourcePort } from '../ports/spec-source.ts';
import type { HttpProbe } from '../services/workflow-types.ts';
import { createSandboxGitHub } from './sandbox-github.ts';
import { createSandboxHeroku, type SandboxHeroku } from './sandbox-heroku.ts';
import { sandboxProbe, sandboxSpecSource } from './sandbox-specs.ts';

/** The example config the shell falls back to when no config file exists. */
export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../autorisen.config.example.yml', import.meta.url));

/** A simulated build or backup moves on each poll, so poll every second rather than Heroku's 5 s. */
const SANDBOX_POLL_MS = 1_000;

export interface SandboxOptions {
  /** The environments came from autorisen.config.example.yml because no config file was found. */
  exampleConfig: boolean;
  now: () => number;
}

/** What the sandbox replaces; null fields are real (their credential is set). */
export interface Sandbox {
  heroku: SandboxHeroku | null;
  github: GitHubPort | null;
  /** Health checks of the simulated apps (with the sandbox Heroku only). */
  probe: HttpProbe | undefined;
  /** Workflow poll interval (the simulated vendor moves on each poll). */
  pollMs: number | undefined;
  /** Serve the simulated environments' /openapi.json (example environments on the sandbox Heroku only). */
  wrapSpecs(inner: SpecSourcePort): SpecSourcePort;
  /** One line for the start of the shell: what is simulated, and how to use the real thing. */
  banner: string;
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
  const banner = `Sandbox: ${[what, envs].filter(Boolean).join(', with ')}; nothing real changes. To use the real services, ${real} and restart.`;

  return {
    heroku,
    github,
    probe: heroku ? sandboxProbe : undefined,
    pollMs: heroku ? SANDBOX_POLL_MS : undefined,
    wrapSpecs: (inner) =>
      heroku && opts.exampleConfig
        ? sandboxSpecSource(inner, config.environments, (app) => heroku.runningSha(app))
        : inner,
    banner,
  };
}
