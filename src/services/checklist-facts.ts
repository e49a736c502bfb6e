import type { CommandContext } from '../ports/command.ts';
import {
  type AlertFact,
  type BackupFact,
  backfills,
  type CiFact,
  ciChecks,
  ciStateOf,
  contractChecks,
  type DiffFact,
  type FlagFact,
  type ItemResult,
  type MigrationFact,
  migrationsAndBackup,
  namespacedRoutes,
  observability,
  openapiDiff,
  type ProbeFact,
  runbook,
  type TaskRunFact,
} from '../core/checklist.ts';
import { FLAG_VAR, readFlag } from '../core/flag.ts';
import { AppError } from '../errors.ts';
import { migrationsBetween, unknownBaseText } from './deploys/migrations-between.ts';
import { runningSha } from './deploys/release-commit.ts';

const HOUR = 3_600_000;
const why = (err: unknown): string => (err instanceof AppError ? err.userMessage : 'could not be read');

/**
 * Gather what the bot knows for `/autorisen checklist` and evaluate the eight items. Every read
 * goes through the command's ports; one that fails makes its item "—" with the reason, never
 * the whole checklist.
 */
export async function gatherChecklist(ctx: CommandContext, only: string | null): Promise<ItemResult[]> {
  const prodEnv = ctx.environments.find((e) => e.production);
  const r = ctx.rollout ?? {
    staging: ctx.environments.find((e) => !e.production)?.name ?? 'staging',
    production: prodEnv?.name ?? 'production',
    specPath: 'openapi.json',
    namespace: '/api/autorisen/',
    releaseTasks: [],
  };
  const envs = ctx.environments.filter((e) => only === null || e.name === only);
  // The release gates' own reads (running commit, pending migrations), services/deploys/.
  const shas = new Map<string, string | null>();
  for (const e of ctx.environments) shas.set(e.name, await runningSha(ctx, e).catch(() => null));

  const [backup, migrations, diff, flags, probes, ci, tasks, alerts, last] = await Promise.all([
    lastBackup(ctx, r.production),
    pendingMigrations(ctx, r.production, shas.get(r.production) ?? null, shas.get(r.staging) ?? null),
    stagingVsProduction(ctx, r.staging, r.production, r.namespace),
    readFlags(
      ctx,
      envs.map((e) => e.name),
    ),
    Promise.all(envs.map((e) => probeFact(ctx, e.name))),
    Promise.all(envs.map((e) => ciFact(ctx, e.name, shas.get(e.name) ?? null))),
    Promise.all(r.releaseTasks.map((t) => taskFact(ctx, r.staging, t))),
    openAlerts(
      ctx,
      envs.map((e) => e.name),
    ),
    ctx.store.workflows.latest({ workflow: 'release', env: null, limit: 1 }).then(([run]) => run ?? null),
  ]);
  return [
    migrationsAndBackup(r.production, backup, migrations),
    openapiDiff(diff, r.namespace),
    namespacedRoutes(diff, flags, r.namespace, r.production),
    contractChecks(probes),
    ciChecks(ci),
    backfills(r.staging, tasks),
    observability(alerts, r.production),
    runbook(
      last && {
        title: `release of ${String((last.input as { ref?: unknown }).ref ?? '?')}`,
        state: last.state,
        error: last.error,
        ageHours: (ctx.clock.now() - last.updatedAt) / HOUR,
      },
    ),
  ];
}

async function lastBackup(ctx: CommandContext, prod: string): Promise<BackupFact | null | 'unknown'> {
  const env = ctx.env(prod);
  if (!env || !ctx.heroku.listBackups) return 'unknown';
  try {
    const [b] = (await ctx.heroku.listBackups(env.herokuApp)).filter((x) => x.finishedAt !== null);
    if (!b) return null;
    return { name: b.name, succeeded: b.succeeded, ageHours: (ctx.clock.now() - Date.parse(b.finishedAt!)) / HOUR };
  } catch {
    return 'unknown';
  }
}

async function pendingMigrations(
  ctx: CommandContext,
  prod: string,
  prodSha: string | null,
  stagingSha: string | null,
): Promise<MigrationFact> {
  const env = ctx.env(prod);
  if (!stagingSha) return { error: 'the commit staging runs is unknown' };
  if (!env || !prodSha) return { error: unknownBaseText(prod) };
  try {
    return await migrationsBetween(ctx.github, env.github, prodSha, stagingSha);
  } catch (err) {
    return { error: why(err) };
  }
}

async function stagingVsProduction(
  ctx: CommandContext,
  staging: string,
  prod: string,
  namespace: string,
): Promise<DiffFact> {
  const s = ctx.env(staging);
  const p = ctx.env(prod);
  if (!s || !p) return { error: 'staging or production is not configured' };
  try {
    const spec = (u: string) => ctx.specs.load(`${u.replace(/\/+$/, '')}/openapi.json`).then((x) => x.document);
    const report = await ctx.specDiff.diff(await spec(p.baseUrl), await spec(s.baseUrl), { namespace });
    const breaking = report.changes.filter((c) => c.severity === 'breaking' && !c.ignored);
    const inside = (c: { operation: string }) => c.operation.split(' ')[1]?.startsWith(namespace) === true;
    const show = (c: { operation: string; message: string }) => `${c.operation || 'document'}: ${c.message}`;
    return {
      breakingOutside: breaking.filter((c) => !inside(c)).map(show),
      breakingInside: breaking.filter(inside).map(show),
      newOutside: (report.namespaceFindings ?? []).map(show),
    };
  } catch (err) {
    return { error: `specs not compared: ${why(err)}` };
  }
}

async function readFlags(ctx: CommandContext, names: string[]): Promise<FlagFact> {
  const out: FlagFact = {};
  const heroku = ctx.herokuReads ?? ctx.heroku;
  for (const n of names) {
    const env = ctx.env(n)!;
    out[n] = await heroku
      .getConfigVars(env.herokuApp)
      .then((v) => readFlag(v[FLAG_VAR]).state)
      .catch(() => null);
  }
  return out;
}

/** The environment's last stored probe run (what verify, flag changes and workflows recorded), never a live probe. */
async function probeFact(ctx: CommandContext, env: string): Promise<ProbeFact> {
  const configured = ctx.probes ? ctx.probes.count(env) : null;
  try {
    const run = await ctx.store.probeRuns.latest(env);
    if (!run) return { env, configured, last: null };
    return {
      env,
      configured,
      last: {
        ageHours: Math.max(0, ctx.clock.now() - run.at) / HOUR,
        trigger: run.trigger,
        actor: run.actor,
        runId: run.runId,
        ok: run.ok,
        health: run.health,
        passed: run.results.filter((p) => p.ok).length,
        failed: run.results.filter((p) => !p.ok).map((p) => `${p.name} → ${p.status ?? p.error ?? 'no answer'}`),
        flag: run.flag,
      },
    };
  } catch (err) {
    return { env, error: `last probe results: ${why(err)}` };
  }
}

async function ciFact(ctx: CommandContext, name: string, sha: string | null): Promise<CiFact> {
  const env = ctx.env(name)!;
  if (!sha) return { env: name, sha, state: 'unknown', failing: [] };
  try {
    return { env: name, sha, ...ciStateOf(await ctx.github.commitChecks(env.github, sha)) };
  } catch {
    return { env: name, sha, state: 'unknown', failing: [] };
  }
}

async function taskFact(ctx: CommandContext, staging: string, task: string): Promise<TaskRunFact> {
  // The newest of: a `/autorisen run` of the task on staging, or a release whose task step finished.
  const runs = await ctx.store.workflows.latest({ workflow: 'task', env: staging, limit: 20 });
  const run = runs.find((x) => (x.input as { task?: { name?: string } }).task?.name === task);
  const releases = await ctx.store.workflows.latest({ workflow: 'release', env: null, limit: 5 });
  const rel = releases.find((x) => x.data[`task-${task}-${staging}`] !== undefined);
  if (rel && (!run || rel.updatedAt > run.updatedAt)) return { task, state: 'done', error: null };
  return { task, state: run?.state ?? null, error: run?.error ?? null };
}

async function openAlerts(ctx: CommandContext, names: string[]): Promise<AlertFact> {
  const out: AlertFact = {};
  for (const n of names)
    out[n] = await ctx.store.alerts
      .listOpen(n, 100)
      .then((l) => l.length)
      .catch(() => null);
  return out;
}
