import type { CommandContext } from '../ports/command.ts';
import type { EnvironmentConfig } from '../core/environment.ts';
import type { FlagOnReadiness } from '../core/flag-on-checks.ts';
import { md } from '../core/mrkdwn.ts';
import { AppError } from '../errors.ts';
import type { SpecChange } from '../ports/spec-diff.ts';

/** The rollout namespace when the config names none (config diff.namespace). */
const DEFAULT_NAMESPACE = '/api/autorisen/';
/** Namespace changes and blockers listed in a plan; the rest is counted and left to `/autorisen diff`. */
const SHOWN = 8;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

const specUrl = (e: EnvironmentConfig) => `${e.baseUrl.replace(/\/+$/, '')}/openapi.json`;

/** "GET /api/autorisen/x" for every operation under the namespace (OpenAPI 3 and Swagger 2 both keep `paths`). */
export function namespaceOperations(document: unknown, namespace: string): Set<string> {
  const paths = (document as { paths?: Record<string, unknown> } | null)?.paths ?? {};
  const ops = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith(namespace) || !item || typeof item !== 'object') continue;
    for (const m of METHODS) if (m in item) ops.add(`${m.toUpperCase()} ${path}`);
  }
  return ops;
}

type Loaded = { ok: true; document: unknown } | { ok: false; why: string };

async function load(ctx: CommandContext, env: EnvironmentConfig): Promise<Loaded> {
  try {
    return { ok: true, document: (await ctx.specs.load(specUrl(env))).document };
  } catch (err) {
    return { ok: false, why: err instanceof AppError ? err.userMessage : 'no answer' };
  }
}

const inside = (c: SpecChange, namespace: string) => c.operation.split(' ')[1]?.startsWith(namespace) === true;
const show = (c: SpecChange) => md`${c.severity} ${c.operation || 'document'}: ${c.message}`;
const listed = (items: string[]) =>
  items.length > SHOWN ? [...items.slice(0, SHOWN), `… and ${items.length - SHOWN} more`] : items;

/**
 * The reads behind `flag on <env>` (issue 23 §7): the environment's /openapi.json must list routes
 * under the rollout namespace (none is a blocker; fewer than staging's a warning); the namespace's
 * OpenAPI diff staging → env goes in the plan, and a breaking change outside the namespace blocks. A spec that
 * cannot be read is a warning (no evidence either way), not a blocker. Never throws.
 */
export async function flagOnReadiness(env: EnvironmentConfig, ctx: CommandContext): Promise<FlagOnReadiness> {
  const namespace = ctx.rollout?.namespace ?? DEFAULT_NAMESPACE;
  const stagingName = ctx.rollout?.staging ?? ctx.environments.find((e) => !e.production)?.name;
  const staging = stagingName && stagingName !== env.name ? ctx.env(stagingName) : undefined;
  const [mine, theirs] = await Promise.all([load(ctx, env), staging ? load(ctx, staging) : null]);
  const lines: string[] = [];
  const warnings: string[] = [];
  const blockers: string[] = [];
  // No answer is no evidence either way: the plan (and its approver) is told loudly, nothing is refused.
  if (!mine.ok)
    return {
      lines,
      warnings: [
        md`NOT CHECKED: could not read ${specUrl(env)}, so nobody knows whether ${env.name} serves the routes behind the flag: ${mine.why}`,
      ],
      blockers,
    };
  const ops = namespaceOperations(mine.document, namespace);
  lines.push(
    `Routes behind the flag: ${env.name} serves ${ops.size} operation(s) under ${namespace} (${specUrl(env)})`,
  );
  if (ops.size === 0)
    blockers.push(`${env.name} serves no route under ${namespace}: the code behind the flag is not deployed there`);
  if (!staging || !theirs) return { lines, warnings, blockers };
  if (!theirs.ok) {
    warnings.push(md`Could not read ${staging.name}'s ${specUrl(staging)} to compare: ${theirs.why}`);
    return { lines, warnings, blockers };
  }
  // Staging ahead (routes not released yet) is the usual state: shown loudly, refused only when none is there.
  const missing = [...namespaceOperations(theirs.document, namespace)].filter((o) => !ops.has(o));
  if (missing.length > 0 && ops.size > 0)
    warnings.push(
      md`${env.name} lacks ${missing.length} route(s) ${staging.name} serves under ${namespace}: ${listed(missing).join(', ')}`,
    );
  try {
    const report = await ctx.specDiff.diff(mine.document, theirs.document, { namespace });
    const changes = report.changes.filter((c) => !c.ignored);
    const ns = changes.filter((c) => inside(c, namespace)).map(show);
    lines.push(
      ns.length === 0
        ? `OpenAPI diff of ${namespace}, ${staging.name} → ${env.name}: no difference`
        : `OpenAPI diff of ${namespace}, ${staging.name} → ${env.name} (\`/autorisen diff ${specUrl(env)} ${specUrl(staging)}\`):`,
      ...listed(ns).map((l) => `   ${l}`),
    );
    const outside = changes.filter((c) => c.severity === 'breaking' && !inside(c, namespace)).map(show);
    if (outside.length > 0)
      blockers.push(
        `${outside.length} breaking change(s) outside ${namespace} between ${staging.name} and ${env.name}: ${listed(outside).join(' · ')}`,
      );
  } catch (err) {
    warnings.push(
      md`The OpenAPI diff of ${staging.name} and ${env.name} failed: ${err instanceof AppError ? err.userMessage : 'unknown error'}`,
    );
  }
  return { lines, warnings, blockers };
}
