import type { Caller, QueryCommand } from '../src/ports/command.ts';
import { markup, md, mention } from '../src/core/mrkdwn.ts';
import { aRole } from '../src/core/roles.ts';

/** Where the caller's role comes from, in the words of the config that gives it. */
function sourceOf(caller: Caller): string {
  const s = caller.roleSource;
  switch (s?.kind) {
    case 'user':
      return md`your own entry in the config (\`roles.users.${caller.userId}\`)`;
    case 'group':
      return md`the user group ${markup(`<!subteam^${s.groupId}>`)} (\`roles.groups.${s.groupId}\`)`;
    case 'default':
      return md`the default (\`roles.default\`): neither you nor a user group of yours has an entry under \`roles\``;
    case 'override':
      return 'the local shell (`as <role>` sets it)';
    default:
      return 'a source this instance does not report';
  }
}

/** `/autorisen whoami`: the caller's role and where it comes from (their entry, a user group, the default). */
export const whoamiCommand: QueryCommand<Record<string, never>> = {
  kind: 'query',
  name: 'whoami',
  summary: 'Show your role and where it comes from (your entry, a user group, or the default)',
  usage: 'whoami',
  examples: ['whoami'],
  permission: 'viewer',
  maxPositionals: 0,
  parse: () => ({ ok: true, input: {} }),
  async run(_input, ctx) {
    const { caller } = ctx;
    const text = md`${mention(caller.userId)}: you are ${aRole(caller.role)}, from ${markup(sourceOf(caller))}.`;
    return { text };
  },
};
