import type { EnvironmentConfig } from '../src/core/environment.ts';
import type { CommandContext, QueryCommand } from '../src/ports/command.ts';
import { AppError } from '../src/errors.ts';
import type { LoadedSpec } from '../src/ports/spec-source.ts';
import { summaryMessage, threadMessages } from './diff-summary.ts';

/** What to compare: environment names, http(s) URLs or `github:` refs; null = the default. */
export interface DiffInput {
  base: string | null;
  revision: string | null;
  namespace: string | null;
  /** `--profile oasdiff`: oasdiff's levels; null = config.diff.profile. */
  profile: 'autorisen' | 'oasdiff' | null;
}

/** A resolved side: what to show and what to load. */
interface Side {
  label: string;
  ref: string;
}

/** `/autorisen diff [base] [revision]`: the OpenAPI contract diff, production vs staging by default. */
export const diffCommand: QueryCommand<DiffInput> = {
  kind: 'query',
  name: 'diff',
  summary: 'Compare two OpenAPI documents and list what breaks clients (production vs staging by default)',
  usage: 'diff [base] [revision] [--namespace /api/autorisen/] [--profile autorisen|oasdiff]',
  examples: [
    'diff',
    'diff production staging',
    'diff production staging --profile oasdiff',
    'diff https://capecraft.herokuapp.com/openapi.json github:capecraft/capecraft@main:openapi.json',
  ],
  permission: 'viewer',
  options: [
    { name: 'namespace', kind: 'value' },
    { name: 'profile', kind: 'value' },
  ],
  maxPositionals: 2,
  parse(args) {
    const ns = args.flags.namespace;
    if (ns === true || (ns !== undefined && !ns.startsWith('/')))
      return { ok: false, error: '--namespace needs a path prefix, e.g. `--namespace /api/autorisen/`.' };
    const profile = args.flags.profile;
    if (profile !== undefined && profile !== 'autorisen' && profile !== 'oasdiff')
      return { ok: false, error: '--profile is `autorisen` (ours, the default) or `oasdiff` (its levels).' };
    if (args.positional.length > 2)
      return {
        ok: false,
        error: `diff compares two documents; got ${args.positional.length}: ${args.positional.join(' ')}.`,
      };
    const [base, revision] = args.positional.map(unwrapSlackLink);
    return {
      ok: true,
      input: { base: base ?? null, revision: revision ?? null, namespace: ns ?? null, profile: profile ?? null },
    };
  },
  async run(input, ctx) {
    const base = resolveSide(input.base, ctx, 'base');
    const revision = resolveSide(input.revision, ctx, 'revision');
    const title = `OpenAPI diff: ${base.label} → ${revision.label}`;
    await ctx.progress.update({
      text: `:hourglass_flowing_sand: Comparing ${base.label} → ${revision.label} (fetching specs)…`,
    });
    try {
      const [b, r] = await Promise.all([load(base, ctx), load(revision, ctx)]);
      await ctx.progress.update({
        text: `:hourglass_flowing_sand: Comparing ${base.label} → ${revision.label} (comparing ${size(b)} with ${size(r)})…`,
      });
      const report = await ctx.specDiff.diff(b.document, r.document, {
        ...(input.namespace ? { namespace: input.namespace } : {}),
        ...(input.profile ? { profile: input.profile } : {}),
        crossCheck: true,
      });
      const { message, needsThread } = summaryMessage(
        report,
        title,
        (ms) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      );
      await ctx.progress.update(message);
      if (needsThread) {
        const hint = `npx autorisen diff ${base.ref} ${revision.ref} --format markdown${input.namespace ? ` --namespace ${input.namespace}` : ''}${input.profile ? ` --profile ${input.profile}` : ''}`;
        for (const reply of threadMessages(report, title, hint)) await ctx.progress.thread(reply);
      }
      return message;
    } catch (err) {
      // The status message must not keep saying "Comparing…" after a failure.
      const reason = err instanceof AppError ? err.userMessage : 'the bot hit an internal error; see its logs.';
      await ctx.progress.update({ text: `:x: ${title} failed: ${reason}` });
      throw err;
    }
  },
};

/** Default base is production, default revision staging: "what would promoting staging break?". */
function resolveSide(text: string | null, ctx: CommandContext, which: 'base' | 'revision'): Side {
  if (text === null) {
    const env =
      which === 'base' ? ctx.environments.find((e) => e.production) : ctx.environments.find((e) => !e.production);
    if (!env)
      throw new AppError(
        'config_invalid',
        `No ${which === 'base' ? 'production' : 'non-production'} environment is configured; name both documents, e.g. \`/autorisen diff <base> <revision>\`.`,
      );
    return envSide(env);
  }
  const env = ctx.env(text);
  if (env) return envSide(env);
  if (text.startsWith('github:')) return { label: text, ref: text };
  if (/^https?:\/\/\S+$/i.test(text)) return { label: text, ref: allowedUrl(text, ctx) };
  // Never a file path: a Slack user must not make the bot read files on its own disk.
  const names = ctx.environments.map((e) => e.name).join(', ');
  throw new AppError(
    'usage',
    `"${text}" is not an environment (${names}), an http(s) URL or a github:owner/repo@ref:path reference.`,
  );
}

/**
 * From Slack, any viewer could otherwise make the bot fetch any address (SSRF): only the
 * environments' own hosts and the configured `diff.allowed_hosts` are fetched. The CLI has no limit.
 */
function allowedUrl(text: string, ctx: CommandContext): string {
  const host = new URL(text).hostname.toLowerCase();
  const allowed = new Set([
    ...ctx.environments.map((e) => new URL(e.baseUrl).hostname.toLowerCase()),
    ...(ctx.diffAllowedHosts ?? []),
  ]);
  if (!allowed.has(host)) {
    throw new AppError(
      'usage',
      `I only fetch OpenAPI documents from the environments' hosts or hosts listed under \`diff.allowed_hosts\` in the bot's config; "${host}" is neither. Ask an admin to add it, or run \`npx autorisen diff\` in CI.`,
    );
  }
  return text;
}

/** Load one side; for an environment, say whose document failed before the low-level reason. */
async function load(side: Side, ctx: CommandContext): Promise<LoadedSpec> {
  try {
    return await ctx.specs.load(side.ref);
  } catch (err) {
    if (!(err instanceof AppError) || side.label === side.ref) throw err;
    throw new AppError(err.code, `Could not get ${side.label}'s OpenAPI document: ${err.userMessage}`, { cause: err });
  }
}

function envSide(env: EnvironmentConfig): Side {
  return { label: env.name, ref: `${env.baseUrl.replace(/\/+$/, '')}/openapi.json` };
}

/** Slack may send links as `<https://x|x>`; take the URL. */
function unwrapSlackLink(word: string): string {
  const m = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(word);
  return m ? m[1]! : word;
}

function size(spec: LoadedSpec): string {
  const doc = spec.document as { paths?: unknown } | null;
  const n = doc && typeof doc.paths === 'object' && doc.paths !== null ? Object.keys(doc.paths).length : 0;
  return `${n} path${n === 1 ? '' : 's'}`;
}
