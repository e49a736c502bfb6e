import { requireEnvironment } from '../src/core/environment.ts';
import type { QueryCommand } from '../src/ports/command.ts';

const MAX = 50;

function when(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `/autorisen releases <env> [n]`: the last n Heroku releases, newest first. */
export const releasesCommand: QueryCommand<{ env: string; limit: number }> = {
  kind: 'query',
  name: 'releases',
  summary: 'List the latest Heroku releases of an environment',
  usage: 'releases <env> [n]',
  examples: ['releases production', 'releases staging 25'],
  permission: 'viewer',
  maxPositionals: 2,
  parse(args) {
    const [env, n, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `releases production`.' };
    if (extra.length > 0)
      return { ok: false, error: `releases takes an environment and a count; got "${extra.join(' ')}" as well.` };
    const limit = n === undefined ? 10 : Number(n);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX)
      return { ok: false, error: `n must be a whole number from 1 to ${MAX}; got "${n}".` };
    return { ok: true, input: { env, limit } };
  },
  async run({ env: name, limit }, ctx) {
    const env = requireEnvironment(ctx, name);
    const releases = await ctx.heroku.listReleases(env.herokuApp, limit);
    if (releases.length === 0) return { text: `${env.herokuApp} has no releases yet.` };
    // Promotions, rollbacks and config changes show the commit they run too (deploys/release-commit.ts).
    const commits =
      (await ctx.changePlans?.commitsOf(env.herokuApp, releases, ctx)) ?? new Map<number, string | null>();
    const lines = releases.map((r) => {
      const sha = commits.get(r.version)?.slice(0, 7) ?? null;
      const status = r.status === 'succeeded' ? '' : ` [${r.status}]`;
      return `${r.current ? '→' : ' '} v${r.version}  ${when(r.createdAt)}  ${r.userEmail ?? 'unknown'}  ${sha ?? '-------'}  ${r.description}${status}${r.current ? '  (current)' : ''}`;
    });
    const title = `${releases.length === 1 ? 'Last release' : `Last ${releases.length} releases`} of ${env.name} (${env.herokuApp})`;
    return {
      text: `${title}:\n${lines.join('\n')}`,
      blocks: [
        { type: 'section', text: `*${title}*` },
        { type: 'code', text: lines.join('\n') },
        { type: 'context', text: `Roll back with \`/autorisen rollback ${env.name} <version>\`` },
      ],
    };
  },
};
