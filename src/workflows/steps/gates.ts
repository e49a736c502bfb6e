import { done, failed, type StepRef } from '../../core/workflow.ts';
import { AppError } from '../../errors.ts';
import type { DiffSummary } from '../../ports/spec-diff.ts';
import type { Step } from '../../services/workflows/types.ts';
import { migrationsBetween, unknownBaseText } from '../../services/deploys/migrations-between.ts';
import { runningSha } from '../../services/deploys/release-commit.ts';
import { repoOf } from './context.ts';

/** Conclusions GitHub counts for passing (a skipped or neutral check does not block a merge either). */
const PASSING = new Set(['success', 'neutral', 'skipped']);

/** What the CI gate found: the commit and how many checks passed. */
export interface CiOutput {
  sha: string;
  checks: number;
}
/** The CI gate's output, read by other runs (a promoted release's commit). */
export const CI_STEP: StepRef<CiOutput> = { name: 'ci' };

/** Gate: every GitHub check run completed and passing, every commit status success. */
export function ciGate(envName: string, sha: string): Step<CiOutput> {
  return {
    name: CI_STEP.name,
    title: 'GitHub checks and statuses are green',
    readOnly: true,
    async run(ctx) {
      const env = ctx.env(envName);
      const c = await ctx.github.commitChecks(repoOf(env), sha);
      const bad = [
        ...c.checkRuns
          .filter((r) => r.status !== 'completed' || !PASSING.has(r.conclusion ?? ''))
          .map((r) => `${r.name}: ${r.status === 'completed' ? r.conclusion : r.status}`),
        ...c.statuses.filter((s) => s.state !== 'success').map((s) => `${s.context}: ${s.state}`),
      ];
      if (c.checkRuns.length + c.statuses.length === 0)
        return failed(`GitHub has no checks or statuses for \`${sha.slice(0, 7)}\`; CI has not run on it.`);
      if (bad.length > 0) return failed(`CI is not green for \`${sha.slice(0, 7)}\`: ${bad.join(', ')}.`);
      const n = c.checkRuns.length + c.statuses.length;
      return done({ sha, checks: n }, `:white_check_mark: CI green for \`${sha.slice(0, 7)}\` (${n} checks).`);
    },
  };
}

/** What the migrations gate found between production's commit and this one. */
export interface MigrationsOutput {
  base: string;
  added: string[];
  destructive: string[];
}

/** Gate: the Alembic migrations between production's commit and this one only add. */
export function migrationsGate(prodName: string, sha: string, allowDestructive: boolean): Step<MigrationsOutput> {
  return {
    name: 'migrations',
    title: 'Database migrations are additive',
    readOnly: true,
    async run(ctx) {
      const env = ctx.env(prodName);
      const base = await runningSha(ctx, env);
      if (!base) return failed(unknownBaseText(prodName));
      const { added, destructive } = await migrationsBetween(ctx.github, repoOf(env), base, sha);
      if (destructive.length > 0 && !allowDestructive)
        return failed(
          `destructive migration(s): ${destructive.join(' · ')}. Split them, or release with \`--allow-destructive\` (an admin must approve).`,
          ['abandon'],
        );
      const note =
        added.length === 0
          ? 'No migrations added.'
          : destructive.length > 0
            ? `:warning: Destructive migrations allowed by --allow-destructive (an admin approves production): ${destructive.join(' · ')}`
            : `Migrations added, all additive: ${added.map((p) => p.split('/').at(-1)).join(', ')}.`;
      return done({ base, added, destructive }, note);
    },
  };
}

/** What the OpenAPI gate found: the breaking changes under the namespace (one line each) and the counts. */
export interface OpenapiOutput {
  breaking: string[];
  summary: DiffSummary;
}

/** Gate: the commit's OpenAPI spec against production's live one; breaking outside the namespace blocks. */
export function openapiGate(prodName: string, sha: string, specPath: string, namespace: string): Step<OpenapiOutput> {
  return {
    name: 'openapi',
    title: `OpenAPI: no breaking change outside ${namespace}`,
    readOnly: true,
    async run(ctx) {
      const env = ctx.env(prodName);
      let live: unknown;
      let next: unknown;
      try {
        live = (await ctx.specs.load(`${env.baseUrl.replace(/\/+$/, '')}/openapi.json`)).document;
        next = (await ctx.specs.load(`github:${env.github.owner}/${env.github.repo}@${sha}:${specPath}`)).document;
      } catch (err) {
        return failed(`could not load the specs to compare: ${err instanceof AppError ? err.userMessage : 'error'}`);
      }
      const report = await ctx.specDiff.diff(live, next, { namespace });
      const breaking = report.changes.filter((c) => c.severity === 'breaking' && !c.ignored);
      const outside = breaking.filter((c) => !c.operation.split(' ')[1]?.startsWith(namespace));
      const show = (list: typeof breaking) =>
        list.map((c) => `${c.operation || 'document'}: ${c.message}`).slice(0, 10);
      if (outside.length > 0)
        return failed(`${outside.length} breaking change(s) outside ${namespace}: ${show(outside).join(' · ')}`, [
          'abandon',
        ]);
      return done(
        { breaking: show(breaking), summary: report.summary },
        `OpenAPI vs ${prodName}: ${report.summary.breaking} breaking (all under ${namespace}), ${report.summary.warning} warning, ${report.summary.nonBreaking} non-breaking.`,
      );
    },
  };
}
