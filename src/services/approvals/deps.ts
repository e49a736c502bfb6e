import type { Config } from '../../config.ts';
import type { Caller, CommandContext } from '../../ports/command.ts';
import type { CommandRegistry } from '../../ports/command.ts';
import type { ChatPort, MessageRef } from '../../ports/chat.ts';
import type { DirectoryPort } from '../../ports/directory.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import type { Announcer } from '../announce.ts';
import type { Ports } from '../context.ts';

/** What the approval service and its helpers (request, settle) are built from. */
export interface ApprovalDeps {
  config: Pick<Config, 'approvals'>;
  /** The announce channel (approvals from DMs go there; decisions are told there). */
  announcer: Announcer;
  registry: CommandRegistry;
  ports: Ports;
  chat: ChatPort;
  log: Logger;
  /** Slack user groups, for environments whose approvals name approver_groups (issue 23 §5). */
  directory?: DirectoryPort;
  /** Resolve a user's current role (the requester is re-checked before execution). */
  runAs: (
    caller: Caller,
    correlationId?: string,
    log?: Logger,
    anchor?: MessageRef,
  ) => { ctx: CommandContext; progress: ChatProgress };
  /**
   * Told of every Reject and expiry once stored, so what waits on the approval (a workflow's gate)
   * learns of it at once instead of at its next look (wired to the workflow engine in app.ts).
   */
  decided?: (rec: ApprovalRecord) => Promise<void>;
}
