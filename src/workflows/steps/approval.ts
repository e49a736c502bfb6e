import type { Plan } from '../../core/command.ts';
import type { Role } from '../../core/roles.ts';
import { mention, md } from '../../core/mrkdwn.ts';
import { done, failed, wait } from '../../core/workflow.ts';
import type { Step, StepContext, StepState } from '../../services/workflows/types.ts';

/** How often a waiting gate re-reads its approval (a rejection or expiry is noticed within this). */
const GATE_POLL_MS = 30_000;

/**
 * An approval gate: posts the plan through the approval service (Approve/Reject, a second person
 * with `role`), waits for the Approve button, and when it is clicked the approval service re-plans
 * (through `plan`) and refuses if the world moved. The approval id is saved, so a restart waits
 * on the same request instead of asking twice.
 */
/** Who approved the gate, and the approval request. */
export interface ApprovalOutput {
  approvalId: string;
  approvedBy: string | null;
}

interface GateScratch {
  approvalId: string;
}

/** An admin's break-glass (issue 23 §2) on the run: the gate asks nobody and says so; nothing else is skipped. */
export interface BreakGlassPass {
  id: string;
  actorId: string;
  reason: string;
}

export function approvalGate(
  name: string,
  title: string,
  role: (state: StepState<GateScratch>) => Role,
  plan: (ctx: StepContext<GateScratch>, state: StepState<GateScratch>) => Promise<Plan>,
  breakGlass?: BreakGlassPass,
): Step<ApprovalOutput, GateScratch> {
  return {
    name,
    title,
    plan,
    async run(ctx, state) {
      if (breakGlass)
        return done(
          { approvalId: `break-glass:${breakGlass.id}`, approvedBy: null },
          md`:rotating_light: No second person asked: break-glass by ${mention(breakGlass.actorId)} (reason: ${breakGlass.reason}).`,
        );
      const id = state.scratch.approvalId;
      if (!id) {
        const p = await plan(ctx, state);
        const req = await ctx.requestApproval({ plan: p, approverRole: role(state) });
        await ctx.save({ approvalId: req.id });
        await ctx.say(
          `:raised_hand: Waiting for ${role(state) === 'admin' ? 'an admin' : 'another operator'} to approve: ${p.title}.`,
        );
        return wait({ event: 'approved', until: Math.min(req.expiresAt, ctx.clock.now() + GATE_POLL_MS) });
      }
      const rec = await ctx.store.approvals.get(id);
      if (!rec) return failed('the approval request is gone; Retry asks again.');
      if (rec.state === 'executing' || rec.state === 'succeeded')
        return done(
          { approvalId: id, approvedBy: rec.decidedBy },
          `:white_check_mark: Approved by <@${rec.decidedBy}>.`,
        );
      if (rec.state === 'pending' && ctx.clock.now() >= rec.expiresAt)
        return failed('nobody approved it in time (the request expired). Retry asks again.');
      if (rec.state === 'pending' || rec.state === 'approved')
        return wait({ event: 'approved', until: Math.min(rec.expiresAt, ctx.clock.now() + GATE_POLL_MS) });
      const by = rec.decidedBy ? ` by <@${rec.decidedBy}>` : '';
      return failed(`the approval was ${rec.state}${by}: ${rec.outcome ?? ''} Retry asks again.`);
    },
  };
}
