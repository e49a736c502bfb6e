import { formatActor, formatTime } from '../src/core/alerts/context.ts';
import { markup, md } from '../src/core/mrkdwn.ts';
import { describeRoutes } from '../src/core/alerts/alerts.ts';
import type { QueryCommand } from '../src/ports/command.ts';

/** Most open alerts listed at once (Slack section text limits). */
const MAX_LISTED = 25;

type Input = { kind: 'open'; env: string | null } | { kind: 'routes' };

/** `/autorisen alerts [env]` lists open alerts; `/autorisen alerts routes` shows the routing rules. */
export const alertsCommand: QueryCommand<Input> = {
  kind: 'query',
  name: 'alerts',
  summary: 'List open alerts, or show where alerts are routed',
  usage: 'alerts [env] | alerts routes',
  examples: ['alerts', 'alerts production', 'alerts routes'],
  permission: 'viewer',
  maxPositionals: 1,
  parse(args) {
    const [first, extra] = args.positional;
    if (extra !== undefined)
      return {
        ok: false,
        error: `Expected at most one word after "alerts" (an environment or "routes"); got "${args.positional.join(' ')}".`,
      };
    if (first === 'routes') return { ok: true, input: { kind: 'routes' } };
    return { ok: true, input: { kind: 'open', env: first ?? null } };
  },
  async run(input, ctx) {
    if (input.kind === 'routes') {
      const routing = ctx.alertRouting;
      if (!routing) return { text: 'Alert routing is not configured in this build of the bot.' };
      const lines = describeRoutes(routing.routes, ctx.environments, routing.defaultChannel);
      const head = `Alert routing (first matching rule wins; context window ${routing.contextWindowMinutes} min):`;
      return {
        text: `${head}\n${lines.join('\n')}`,
        blocks: [
          { type: 'section', text: `*${head}*` },
          { type: 'section', text: lines.join('\n') },
        ],
      };
    }
    let envName: string | null = null;
    if (input.env !== null) {
      const env = ctx.env(input.env);
      if (!env)
        return {
          text: `No environment called "${input.env}"; try one of: ${ctx.environments.map((e) => e.name).join(', ')}.`,
        };
      envName = env.name;
    }
    const open = await ctx.store.alerts.listOpen(envName, MAX_LISTED + 1);
    const where = envName ? ` on ${envName}` : '';
    if (open.length === 0) return { text: `No open alerts${where}: nothing firing that nobody has acknowledged.` };
    const now = ctx.clock.now();
    const lines = open.slice(0, MAX_LISTED).map((g) => {
      const link = g.messageTs && g.channel ? ` in <#${g.channel}>` : '';
      const silenced =
        g.silencedUntil !== null && g.silencedUntil > now
          ? ` · silenced until ${formatTime(g.silencedUntil, now)} by ${formatActor(g.silencedBy)}`
          : '';
      return md`• [${g.env ?? 'unknown'}] ${g.severity} ×${g.count} ${g.title} — last ${formatTime(g.lastSeen, now)}${markup(link + silenced)}`;
    });
    const more = open.length > MAX_LISTED ? `\n…and more; narrow it with \`/autorisen alerts <env>\`.` : '';
    const head = `${Math.min(open.length, MAX_LISTED)} open alert${open.length === 1 ? '' : 's'}${where} (firing, not acknowledged):`;
    return {
      text: `${head}\n${lines.join('\n')}${more}`,
      blocks: [
        { type: 'section', text: `*${head}*` },
        { type: 'section', text: lines.join('\n') + more },
      ],
    };
  },
};
