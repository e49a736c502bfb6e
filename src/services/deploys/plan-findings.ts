import { parseYaml } from '../../yaml.ts';
import type { CommandContext } from '../../ports/command.ts';
import { addedMigrations, destructiveReasons } from '../../core/deploys.ts';
import { AppError } from '../../errors.ts';
import type { RepoRef } from '../../ports/github.ts';

/** What a deploy plan says about the changes themselves: added migrations and the OpenAPI diff. */

const SPEC_FILE = /(^|\/)openapi\.(json|ya?ml)$/i;

/** Migration lines and warnings for the files between two commits. */
export async function migrationFindings(
  ctx: CommandContext,
  repo: RepoRef,
  sha: string,
  files: readonly { filename: string; status: string }[],
): Promise<{ lines: string[]; warnings: string[] }> {
  const migrations = addedMigrations(files);
  const lines: string[] = [];
  const warnings: string[] = [];
  if (migrations.length === 0) return { lines: ['Migrations: none added'], warnings };
  lines.push(`Migrations added: ${migrations.map((m) => `\`${m.split('/').at(-1)}\``).join(', ')}`);
  for (const path of migrations) {
    let source: string;
    try {
      source = await ctx.github.getFile(repo, sha, path);
    } catch (err) {
      warnings.push(
        `Could not read migration ${path} (${err instanceof AppError ? err.userMessage : 'error'}); check by hand that it is additive.`,
      );
      continue;
    }
    const reasons = destructiveReasons(path, source);
    if (reasons.length > 0)
      warnings.push(
        `Migration ${path} is not additive: it ${reasons.join('; ')}. Deploys require additive migrations; split it, or make sure the running code no longer uses what it removes.`,
      );
  }
  return { lines, warnings };
}

/** "OpenAPI: 1 breaking, 2 non-breaking" when the spec changed and the diff engine works; else nothing. */
export async function specSummary(
  ctx: CommandContext,
  repo: RepoRef,
  base: string,
  head: string,
  files: readonly { filename: string }[],
): Promise<{ lines: string[]; warnings: string[] }> {
  const spec = files.find((f) => SPEC_FILE.test(f.filename));
  if (!spec) return { lines: [], warnings: [] };
  try {
    const parse = (text: string): unknown => (spec.filename.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
    const [before, after] = await Promise.all([
      ctx.github.getFile(repo, base, spec.filename),
      ctx.github.getFile(repo, head, spec.filename),
    ]);
    const report = await ctx.specDiff.diff(parse(before), parse(after));
    const s = report.summary;
    const line = `OpenAPI (${spec.filename}): ${s.breaking} breaking, ${s.warning} warning, ${s.nonBreaking} non-breaking`;
    return {
      lines: [line],
      warnings:
        s.breaking > 0 ? [`The API has ${s.breaking} breaking change(s); run \`/autorisen diff\` for details.`] : [],
    };
  } catch (err) {
    // Optional: the diff is a courtesy in the plan; its absence never blocks a deploy.
    ctx.log.debug({ err }, 'openapi diff for the deploy plan skipped');
    return { lines: [], warnings: [] };
  }
}
