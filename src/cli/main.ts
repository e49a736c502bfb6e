/**
 * `autorisen diff <base> <revision>`: the CI entry point. A composition root like src/main.ts, so
 * it takes the environment from src/env.ts (the one reader of process.env) — and only GITHUB_TOKEN,
 * GITHUB_API_URL and AUTORISEN_DIFF_TIMEOUT_MS (URL fetch timeout). Exit codes: 0 nothing at or above --fail-on, 1 found, 2 bad input or error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { OpenApiDiffEngine } from '../adapters/openapi/engine.ts';
import { parseDiffConfig, type RuleSettings } from '../adapters/openapi/diff-config.ts';
import { applyIgnores, parseIgnoreFile } from '../adapters/openapi/ignore.ts';
import { DEFAULT_NAMESPACE } from '../adapters/openapi/namespace.ts';
import { PROFILES, type ProfileName } from '../adapters/openapi/profiles.ts';
import { PR_COMMENT_MARKER, renderMarkdown, renderText } from '../adapters/openapi/render.ts';
import { failing, renderGithubActions, renderJunit } from '../adapters/openapi/render-ci.ts';
import { createSpecSource } from '../adapters/openapi/spec-source.ts';
import { processEnv } from '../env.ts';
import { AppError, toAppError } from '../errors.ts';
import type { DiffReport } from '../ports/spec-diff.ts';

/** What the CLI writes and returns; injected so tests and the bin shim share one implementation. */
export interface CliIO {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Today as YYYY-MM-DD (ignore-file expiry, sunset dates). */
  today: () => string;
}

const USAGE =
  'usage: autorisen diff <base> <revision> [--format text|markdown|json|githubactions|junit] ' +
  '[--fail-on breaking|warning|none] [--profile autorisen|oasdiff] [--config .autorisen-diff.yml] ' +
  '[--deprecation-days-beta N] [--deprecation-days-stable N] [--namespace /api/autorisen/] ' +
  '[--ignore-file .autorisen-diff-ignore.yml] [--github-pr owner/repo#N] [--cross-check]';
const FORMATS = ['text', 'markdown', 'json', 'githubactions', 'junit'];
/** oasdiff's spellings are accepted so a CI line can be moved over as it is. */
const FAIL_ON: Record<string, 'breaking' | 'warning' | 'none'> = {
  breaking: 'breaking',
  warning: 'warning',
  none: 'none',
  ERR: 'breaking',
  WARN: 'warning',
};

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    const e = toAppError(err);
    io.stderr(
      `${`autorisen: ${e.code === 'internal' ? `${e.userMessage} (${(err as Error).message})` : e.userMessage}`.replace(
        /\s*\n\s*/g,
        ' ',
      )}\n`,
    );
    return 2;
  }
}

async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-on': { type: 'string', default: 'breaking' },
        namespace: { type: 'string', default: DEFAULT_NAMESPACE },
        'ignore-file': { type: 'string' },
        'github-pr': { type: 'string' },
        'cross-check': { type: 'boolean', default: false },
        profile: { type: 'string' },
        config: { type: 'string' },
        'deprecation-days-beta': { type: 'string' },
        'deprecation-days-stable': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new AppError('usage', `${(err as Error).message}. ${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'diff' || positionals.length !== 3) throw new AppError('usage', USAGE);
  if (!FORMATS.includes(v.format!))
    throw new AppError('usage', `--format must be ${FORMATS.join(', ')} (got "${v.format}").`);
  const failOn = FAIL_ON[v['fail-on']!];
  if (!failOn) throw new AppError('usage', `--fail-on must be breaking, warning or none (got "${v['fail-on']}").`);
  if (v.profile !== undefined && !PROFILES.includes(v.profile as ProfileName))
    throw new AppError('usage', `--profile must be ${PROFILES.join(' or ')} (got "${v.profile}").`);
  const settings: RuleSettings = v.config ? parseDiffConfig(await readText(v.config, 'config file'), v.config) : {};
  const days = (flag: 'deprecation-days-beta' | 'deprecation-days-stable', fallback: number): number => {
    const text = v[flag];
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) throw new AppError('usage', `--${flag} must be a whole number of days (got "${text}").`);
    return Number(text);
  };
  const deprecationDays = {
    beta: days('deprecation-days-beta', settings.deprecationDays?.beta ?? 0),
    stable: days('deprecation-days-stable', settings.deprecationDays?.stable ?? 0),
  };
  const pr = v['github-pr'] ? parsePr(v['github-pr']) : null;

  const token = io.env.GITHUB_TOKEN?.trim() || null;
  const apiUrl = (io.env.GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, '');
  const needsGitHub = pr !== null || positionals.some((p) => p.startsWith('github:'));
  // Loaded only when needed: octokit and the cross-check are most of the CLI's start-up otherwise.
  const github = needsGitHub
    ? (await import('../adapters/github/github-adapter.ts')).createGitHubAdapter({ token, apiUrl, throttle: false })
    : undefined;
  const timeoutMs = Number(io.env.AUTORISEN_DIFF_TIMEOUT_MS) > 0 ? Number(io.env.AUTORISEN_DIFF_TIMEOUT_MS) : undefined;
  const source = createSpecSource({ github, timeoutMs });
  const [base, revision] = await Promise.all([source.load(positionals[1]!), source.load(positionals[2]!)]);
  let report: DiffReport = await new OpenApiDiffEngine().diff(base.document, revision.document, {
    namespace: v.namespace,
    profile: (v.profile as ProfileName | undefined) ?? settings.profile,
    overrides: settings.overrides,
    deprecationDays,
    today: io.today(),
  });
  // Off by default: it adds a worker and ~1-5 s; its findings are warnings, so CI verdicts on breaking do not change.
  if (v['cross-check'])
    report = (
      await (
        await import('../adapters/openapi/cross-check.ts')
      )
        .createOpenApiDiffCrossCheck()
        .run(base.document, revision.document, report)
    ).report;
  if (v['ignore-file']) {
    const path = v['ignore-file'];
    report = applyIgnores(report, parseIgnoreFile(await readText(path, 'ignore file'), path), io.today());
  }
  const title = `OpenAPI diff: ${base.label} → ${revision.label}`;
  if (v.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (v.format === 'githubactions') io.stdout(`${renderGithubActions(report, specFile(positionals[2]!))}\n`);
  else if (v.format === 'junit') io.stdout(`${renderJunit(report, title, failOn)}\n`);
  else if (v.format === 'markdown') io.stdout(`${renderMarkdown(report, title)}\n`);
  else io.stdout(`${renderText(report, title)}\n`);
  if (pr && github) {
    const { id, created } = await github.upsertIssueComment(
      pr.repo,
      pr.number,
      PR_COMMENT_MARKER,
      renderMarkdown(report, title),
    );
    io.stderr(
      `autorisen: ${created ? 'created' : 'updated'} comment ${id} on ${pr.repo.owner}/${pr.repo.repo}#${pr.number}\n`,
    );
  }
  const fails = failing(failOn);
  return report.changes.some((c) => !c.ignored && fails.has(c.severity)) ? 1 : 0;
}

async function readText(path: string, what: string): Promise<string> {
  return readFile(path, 'utf8').catch((err: unknown) => {
    throw new AppError(
      'spec_invalid',
      `Cannot read the ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      {
        cause: err,
      },
    );
  });
}

/** The file an annotation points at: the path inside the repo for github: refs, else the argument. */
function specFile(ref: string): string {
  const m = /^github:[^@]+@[^:]+:(.+)$/.exec(ref);
  return m ? m[1]! : ref;
}

function parsePr(text: string): { repo: { owner: string; repo: string }; number: number } {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(text);
  if (!m) throw new AppError('usage', `--github-pr must look like owner/repo#123 (got "${text}").`);
  return { repo: { owner: m[1]!, repo: m[2]! }, number: Number(m[3]) };
}

/** Entry point used by bin/autorisen.js. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    env: processEnv(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    today: () => new Date().toISOString().slice(0, 10),
  });
  process.exitCode = code;
}
