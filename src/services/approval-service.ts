import type { Config } from '../config.ts';
import type { ActionCommand, Caller, CommandContext, Plan } from '../core/command.ts';
import { textMessage, type Button } from '../core/message.ts';
import { canDecide } from '../core/policy.ts';
import type { Registry } from '../core/registry.ts';
import { roleAtLeast } from '../core/roles.ts';
import type { ActionRequest } from '../core/transport.ts';
import { AppError, toAppError } from '../errors.ts';
import type { ChatPort, MessageRef } from '../ports/chat.ts';
import type { Logger } from '../ports/logger.ts';
import type { ApprovalRecord, ApprovalState } from '../ports/stores/approvals.ts';
import { decidedApprovalMessage, decidedPhrase, pendingApprovalMessage } from './approval-message.ts';
import { audit, auditEntry } from './audit.ts';
import type { Ports } from './context.ts';
import type { ChatProgress } from '../ports/progress.ts';

export interface ApprovalDeps {
  config: Pick<Config, 'approvals'>;
  registry: Registry;
  ports: Ports;
  chat: ChatPort;
  log: Logger;
  /** Resolve a user's current role (the requester is re-checked before execution). */
  runAs: (
    caller: Caller,
    correlationId?: string,
    log?: Logger,
    anchor?: MessageRef,
  ) => { ctx: CommandContext; progress: ChatProgress };
}

/**
 * Persisted approvals: request → decide (compare-and-set) → re-plan → execute once. Every state
 * change is a CAS in the store with its audit row, so retries, double clicks and a second instance
 * are no-ops and a restart loses nothing.
 */
export class ApprovalService {
  constructor(
    private readonly deps: ApprovalDeps & { caller?: (userId: string, channelId: string) => Promise<Caller> },
  ) {}

  /** Store the request and post it with Approve/Reject buttons in the requester's channel. */
  async request<I>(cmd: ActionCommand<I>, input: I, plan: Plan, ctx: CommandContext): Promise<ApprovalRecord> {
    const { store, clock, ids } = this.deps.ports;
    const now = clock.now();
    const rec: ApprovalRecord = {
      id: ids.next(),
      command: cmd.name,
      input,
      plan,
      requesterId: ctx.caller.userId,
      channelId: ctx.caller.channelId,
      env: plan.env ?? cmd.envOf(input),
      approverRole: cmd.approverRole ?? 'operator',
      state: 'pending',
      createdAt: now,
      expiresAt: now + this.deps.config.approvals.ttlMinutes * 60_000,
      decidedBy: null,
      decidedAt: null,
      outcome: null,
      messageChannel: null,
      messageTs: null,
      correlationId: ctx.correlationId,
    };
    await store.approvals.create(
      rec,
      auditEntry({
        at: now,
        correlationId: ctx.correlationId,
        actorId: rec.requesterId,
        channelId: rec.channelId,
        command: cmd.name,
        action: 'approval_requested',
        result: 'pending',
        detail: plan.title,
        env: rec.env,
      }),
    );
    try {
      const ref = await this.deps.chat.post(rec.channelId, pendingApprovalMessage(rec, plan));
      await store.approvals.setMessage(rec.id, ref.channel, ref.ts);
      return { ...rec, messageChannel: ref.channel, messageTs: ref.ts };
    } catch (err) {
      // Nobody could see the buttons: cancel rather than leave an approvable ghost.
      await store.approvals.transition(
        rec.id,
        'pending',
        'cancelled',
        { outcome: 'could not post the approval message' },
        this.row(rec, 'system', 'cancel', 'cancelled', 'approval message could not be posted'),
      );
      throw new AppError(
        'slack_failed',
        'I could not post the approval request in this channel, so nothing will happen. Invite the bot to the channel (or check its chat:write scope) and try again.',
        { cause: err },
      );
    }
  }

  /** Handle an Approve or Reject click. */
  async decide(id: string, approve: boolean, caller: Caller, req: ActionRequest, log: Logger): Promise<void> {
    const { store, clock } = this.deps.ports;
    const rec = await store.approvals.get(id);
    if (!rec) {
      await req.responder.reply(
        textMessage('I have no record of this approval request. It may be from another installation.'),
      );
      return;
    }
    const check = canDecide(rec, caller.userId, caller.role);
    if (!check.ok) {
      await audit(store, log, {
        at: clock.now(),
        correlationId: req.correlationId,
        actorId: caller.userId,
        channelId: req.channelId,
        command: rec.command,
        args: `approval ${rec.id}`,
        action: 'deny',
        result: 'denied',
        detail: check.reason,
        env: rec.env,
      });
      await req.responder.reply(textMessage(`:no_entry: ${check.reason}`));
      return;
    }
    const now = clock.now();
    if (!approve) {
      const ok = await store.approvals.transition(
        id,
        'pending',
        'rejected',
        { decidedBy: caller.userId, decidedAt: now, outcome: `Rejected by <@${caller.userId}>; nothing was changed.` },
        this.row(rec, caller.userId, 'reject', 'rejected', null, req.correlationId),
      );
      if (!ok) return this.alreadyDecided(id, req);
      await this.rewrite(id);
      return;
    }
    if (now >= rec.expiresAt) {
      await this.expire(rec, now);
      await req.responder.reply(
        textMessage(
          'This request expired before it was approved, so nothing was changed. Ask for it again if it is still needed.',
        ),
      );
      return;
    }
    const ok = await store.approvals.transition(
      id,
      'pending',
      'approved',
      { decidedBy: caller.userId, decidedAt: now },
      this.row(rec, caller.userId, 'approve', 'approved', null, req.correlationId),
    );
    if (!ok) return this.alreadyDecided(id, req);
    await this.rewrite(id, 'Running now…');
    await this.execute(id, log);
  }

  /** approved → executing → succeeded | failed, re-checking the plan first. */
  async execute(id: string, log: Logger): Promise<void> {
    const { store, clock } = this.deps.ports;
    const rec = await store.approvals.get(id);
    if (!rec) return;
    if (
      !(await store.approvals.transition(
        id,
        'approved',
        'executing',
        {},
        this.row(rec, rec.decidedBy ?? 'system', 'execute', 'started'),
      ))
    )
      return;
    const finish = async (to: ApprovalState, outcome: string, buttons?: Button[]) => {
      await store.approvals.transition(
        id,
        'executing',
        to,
        { outcome },
        this.row(rec, rec.decidedBy ?? 'system', 'execute', to === 'succeeded' ? 'ok' : 'failed', outcome),
      );
      await this.rewrite(id, undefined, buttons);
    };
    try {
      const cmd = this.deps.registry.get(rec.command);
      if (cmd?.kind !== 'action')
        return await finish(
          'failed',
          `The command "${rec.command}" no longer exists in this version of the bot; nothing was changed.`,
        );
      const requester = this.deps.caller
        ? await this.deps.caller(rec.requesterId, rec.channelId)
        : { userId: rec.requesterId, channelId: rec.channelId, role: 'viewer' as const };
      if (!roleAtLeast(requester.role, cmd.permission)) {
        return await finish(
          'failed',
          `<@${rec.requesterId}> no longer has the ${cmd.permission} role, so the request was not run.`,
        );
      }
      const anchor =
        rec.messageChannel && rec.messageTs ? { channel: rec.messageChannel, ts: rec.messageTs } : undefined;
      const { ctx } = this.deps.runAs(requester, rec.correlationId, log, anchor);
      ctx.approval = { id, approvedBy: rec.decidedBy ?? 'unknown' };
      const approved = rec.plan as Plan;
      const fresh = await cmd.plan(rec.input, ctx);
      if (fresh.noop) return await finish('succeeded', `Nothing to do any more: ${fresh.noop}`);
      if (fresh.fingerprint !== approved.fingerprint) {
        return await finish(
          'failed',
          `Not run: the plan changed since it was approved (${describeDrift(approved, fresh)}). Nothing was changed; ask again to see the new plan.`,
        );
      }
      const outcome = await cmd.execute(fresh, rec.input, ctx);
      if (outcome.interrupted) {
        log.info({ approvalId: id }, 'approved work interrupted by shutdown; the next process resumes it');
        return;
      }
      // Buttons the outcome offers (e.g. Roll back after a failed deploy) stay on the rewritten message.
      await finish(outcome.ok ? 'succeeded' : 'failed', outcome.message.text, outcome.message.buttons);
      log.info({ approvalId: id, ok: outcome.ok, at: clock.now() }, 'approved command finished');
    } catch (err) {
      const e = toAppError(err);
      log.warn({ err, approvalId: id }, 'approved command failed');
      await finish('failed', e.userMessage);
    }
  }

  /** Expire every pending request past its deadline and say so on its message. */
  async expireDue(): Promise<number> {
    const now = this.deps.ports.clock.now();
    const due = await this.deps.ports.store.approvals.listExpired(now);
    let n = 0;
    for (const rec of due) if (await this.expire(rec, now)) n++;
    return n;
  }

  private async expire(rec: ApprovalRecord, now: number): Promise<boolean> {
    const minutes = Math.round((rec.expiresAt - rec.createdAt) / 60_000);
    const ok = await this.deps.ports.store.approvals.transition(
      rec.id,
      'pending',
      'expired',
      {
        decidedAt: now,
        outcome: `Nobody approved it within ${minutes} min, so nothing was changed. Ask again if it is still needed.`,
      },
      this.row(rec, 'system', 'expire', 'expired'),
    );
    if (ok) await this.rewrite(rec.id);
    return ok;
  }

  private async alreadyDecided(id: string, req: ActionRequest): Promise<void> {
    const now = await this.deps.ports.store.approvals.get(id);
    await req.responder.reply(
      textMessage(`This request was already ${decidedPhrase(now)}; your click changed nothing.`),
    );
  }

  private async rewrite(id: string, extra?: string, buttons?: Button[]): Promise<void> {
    const rec = await this.deps.ports.store.approvals.get(id);
    if (!rec?.messageChannel || !rec.messageTs) return;
    try {
      const message = decidedApprovalMessage(rec, rec.plan as Plan, extra);
      await this.deps.chat.update(
        { channel: rec.messageChannel, ts: rec.messageTs },
        buttons && buttons.length > 0 ? { ...message, buttons } : message,
      );
    } catch (err) {
      this.deps.log.warn({ err, approvalId: id }, 'could not rewrite the approval message');
    }
  }

  private row(
    rec: ApprovalRecord,
    actorId: string,
    action: string,
    result: string,
    detail: string | null = null,
    correlationId = rec.correlationId,
  ) {
    return auditEntry({
      at: this.deps.ports.clock.now(),
      correlationId,
      actorId,
      channelId: rec.channelId,
      command: rec.command,
      args: `approval ${rec.id}`,
      action,
      result,
      detail,
      env: rec.env,
    });
  }
}

function describeDrift(before: Plan, after: Plan): string {
  const gone = before.lines.filter((l) => !after.lines.includes(l));
  const added = after.lines.filter((l) => !before.lines.includes(l));
  if (gone.length === 0 && added.length === 0) return 'the state the plan relied on moved';
  return [...gone.map((l) => `was: ${l}`), ...added.map((l) => `now: ${l}`)].slice(0, 4).join('; ');
}
