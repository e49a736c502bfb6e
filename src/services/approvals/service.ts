import type { ActionCommand, Caller, CommandContext, Plan } from '../../ports/command.ts';
import { textMessage, type Button } from '../../core/message.ts';
import { canDecide } from '../../core/policy.ts';
import { roleAtLeast } from '../../core/roles.ts';
import type { ActionRequest } from '../../core/transport.ts';
import { logFailure } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ApprovalRecord, ApprovalState } from '../../ports/stores/approvals.ts';
import { decidedApprovalMessage, decidedPhrase } from './message.ts';
import { audit } from '../audit.ts';
import { settleInterrupted } from './settle.ts';
import { approvalRow, requestApproval } from './request.ts';
import { recordApproval } from './vote.ts';
import type { ApprovalDeps } from './deps.ts';

export type { ApprovalDeps };

/**
 * Persisted approvals: request → decide (compare-and-set) → re-plan → execute once. Every state
 * change is a CAS in the store with its audit row, so retries, double clicks and a second instance
 * are no-ops and a restart loses nothing.
 */
export class ApprovalService {
  constructor(
    private readonly deps: ApprovalDeps & { caller?: (userId: string, channelId: string) => Promise<Caller> },
  ) {}

  /** Store the request and post it where another operator can approve it (approvals/request.ts). */
  request<I>(
    cmd: ActionCommand<I>,
    input: I,
    plan: Plan,
    ctx: CommandContext,
  ): Promise<ApprovalRecord & { movedTo: string | null }> {
    return requestApproval(this.deps, cmd, input, plan, ctx);
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
      await this.tellDecided(rec);
      await this.rewrite(id);
      await this.announceDecision(rec, `:no_entry_sign: <@${caller.userId}> rejected`, 'nothing was changed.', log);
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
    // Counted in the store, one row per approver (approvals/vote.ts); only the last one needed runs it.
    const vote = await recordApproval(this.deps, rec, caller, req, log);
    if (vote.kind === 'closed') return this.alreadyDecided(id, req);
    if (vote.kind !== 'complete') return;
    const who = vote.approvers.map((u) => `<@${u}>`).join(' and ');
    // A scheduled change (issue 23 §1) is approved ahead: what runs now only stores it.
    const later = isLater(rec.plan);
    await this.rewrite(id, later ? 'Scheduling it…' : 'Running now…');
    await this.announceDecision(
      rec,
      `:white_check_mark: ${who} approved`,
      later ? 'it runs at its time.' : 'running now.',
      log,
    );
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
      const mine = await store.approvals.transition(
        id,
        'executing',
        to,
        { outcome },
        this.row(rec, rec.decidedBy ?? 'system', 'execute', to === 'succeeded' ? 'ok' : 'failed', outcome),
      );
      // Another instance booting meanwhile settled it as interrupted: what really happened still gets told.
      if (!mine) {
        log.warn({ approvalId: id }, 'approval was settled elsewhere before this execution finished');
        await audit(store, log, {
          ...this.row(rec, rec.decidedBy ?? 'system', 'execute', `late_${to}`, outcome),
        });
        return this.rewrite(id, `Correction, the run finished after all: ${outcome}`, buttons);
      }
      await this.rewrite(id, undefined, buttons);
      await this.deps.announcer.announce(rec.messageChannel, { text: `${(rec.plan as Plan).title}: ${outcome}` }, log);
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
      const e = logFailure(log, err, 'approved command failed', { approvalId: id });
      await finish('failed', e.userMessage);
    }
  }

  /** At boot: close the approvals a dead process left running, reading the vendor back (approvals/settle.ts). */
  settleInterrupted(): Promise<number> {
    return settleInterrupted({
      registry: this.deps.registry,
      store: this.deps.ports.store,
      clock: this.deps.ports.clock,
      log: this.deps.log,
      contextFor: (caller, correlationId) => this.deps.runAs(caller, correlationId).ctx,
      rewrite: (id) => this.rewrite(id),
      announce: (rec, text) => this.deps.announcer.announce(rec.messageChannel, { text }, this.deps.log),
    });
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
    if (ok) {
      await this.tellDecided(rec);
      await this.rewrite(rec.id);
    }
    return ok;
  }

  /** Wake what waits on this approval (a workflow gate), wherever it runs; never fails the decision. */
  private async tellDecided(rec: ApprovalRecord): Promise<void> {
    await this.deps
      .decided?.(rec)
      .catch((err: unknown) =>
        this.deps.log.warn({ err, approvalId: rec.id }, 'could not wake what waits on the approval'),
      );
  }

  /** Tell the announce channel about a decision, unless the approval message is there already. */
  private async announceDecision(rec: ApprovalRecord, what: string, next: string, log: Logger): Promise<void> {
    const title = (rec.plan as Plan).title;
    await this.deps.announcer.announce(
      rec.messageChannel,
      { text: `${what} <@${rec.requesterId}>'s request "${title}": ${next}` },
      log,
    );
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
      const approvers = (rec.approvalsNeeded ?? 1) > 1 ? await this.deps.ports.store.approvals.approvers(id) : [];
      const message = decidedApprovalMessage(rec, rec.plan as Plan, extra, approvers);
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
    return approvalRow(this.deps.ports.clock.now(), rec, actorId, action, result, detail, correlationId);
  }
}

function describeDrift(before: Plan, after: Plan): string {
  const gone = before.lines.filter((l) => !after.lines.includes(l));
  const added = after.lines.filter((l) => !before.lines.includes(l));
  if (gone.length === 0 && added.length === 0) return 'the state the plan relied on moved';
  return [...gone.map((l) => `was: ${l}`), ...added.map((l) => `now: ${l}`)].slice(0, 4).join('; ');
}

/** Whether a stored plan is a scheduled change's (its `later` is the time it runs). */
function isLater(plan: unknown): boolean {
  return typeof plan === 'object' && plan !== null && 'later' in plan && typeof plan.later === 'number';
}
