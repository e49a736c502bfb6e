import type { Caller } from '../../core/command.ts';
import type { HomeApproval, HomeBlock, HomeEnv, HomeScheduled, HomeSnapshot, HomeView } from '../../core/home.ts';
import { canDecide } from '../../core/policy.ts';
import { aRole, roleAtLeast } from '../../core/roles.ts';
import { APPROVE_ACTION, REJECT_ACTION, slackTime } from '../approvals/message.ts';
import { reviewBlocks } from './break-glass-blocks.ts';
import { approvalState } from '../schedule/schedule-texts.ts';
import { flagOffButton } from '../../core/command-buttons.ts';
import { md, mention } from '../../core/mrkdwn.ts';
import { changedBy } from '../../core/flag.ts';

/** Pending approvals listed on Home; more are counted, not shown (a Home tab holds 100 blocks). */
export const HOME_MAX_APPROVALS = 15;

/** "3 min ago", "5 h ago", "2 d ago". */
export function ago(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/**
 * One person's Home: every environment's state, then the approvals waiting. What it offers depends
 * on the role: a viewer sees the state and nothing to press; operators get Approve/Reject where
 * policy lets them decide (the same action ids as the approval message, so a click takes the same
 * compare-and-set path) and the kill switch; admins also see the recent audit trail.
 */
export function buildHomeView(
  snapshot: HomeSnapshot,
  viewer: Pick<Caller, 'userId' | 'role'>,
  notice?: string,
): HomeView {
  const blocks: HomeBlock[] = [{ type: 'header', text: 'autorisen rollout' }];
  const canAct = roleAtLeast(viewer.role, 'operator');
  blocks.push({
    type: 'context',
    text: `Updated ${slackTime(snapshot.at)} · you are ${aRole(viewer.role)}${canAct ? '' : ' (read-only: changes need an operator)'}`,
  });
  if (notice) blocks.push({ type: 'section', text: notice });
  for (const env of snapshot.envs) blocks.push({ type: 'divider' }, ...envBlocks(env, snapshot.at, canAct));
  blocks.push({ type: 'divider' }, ...approvalBlocks(snapshot.approvals, viewer));
  blocks.push(...reviewBlocks(snapshot.breakGlassReviews ?? [], viewer));
  if (viewer.role === 'admin' && snapshot.recent.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: '*Recent activity* (admins)' });
    blocks.push({
      type: 'context',
      text: snapshot.recent
        .map(
          (r) =>
            `${slackTime(r.at)} <@${r.actorId}> ${r.command} ${r.action} → ${r.result}${r.env ? ` (${r.env})` : ''}`,
        )
        .join('\n'),
    });
  }
  const text = snapshot.envs
    .map((e) => `${e.name}: ${e.flag ? `flag ${e.flag.on ? 'on' : 'off'}` : 'unknown'}${e.lock ? ', locked' : ''}`)
    .join('; ');
  return { text: `autorisen Home: ${text}; ${snapshot.approvals.length} pending approval(s)`, blocks };
}

function envBlocks(env: HomeEnv, now: number, canAct: boolean): HomeBlock[] {
  const out: HomeBlock[] = [
    { type: 'section', text: `*${env.name}* (${env.app})${env.production ? ' · production' : ''}` },
  ];
  if (env.error) out.push({ type: 'section', text: `:x: ${env.error}` });
  const fields: string[] = [];
  if (env.flag) {
    const { changedById: id, changedByEmail: email } = env.flag;
    const by = id || email ? md` by ${changedBy({ byUserId: id, byEmail: email })}` : '';
    const when = env.flag.changedAt ? ` ${ago(env.flag.changedAt, now)}` : '';
    const how = env.flag.byRollback ? ' (by a rollback)' : '';
    fields.push(
      `*FEATURE_AUTORISEN*\n${env.flag.on ? ':large_green_circle:' : ':white_circle:'} ${env.flag.label}${by}${when}${how}`,
    );
  }
  if (env.release) {
    const r = env.release;
    const verified = {
      yes: ':white_check_mark: verified',
      no: ':x: health check failed',
      unknown: 'not verified by the bot',
    }[r.verified];
    const age = r.at ? `, ${ago(r.at, now)}` : '';
    fields.push(`*Release*\nv${r.version}${r.commit ? ` · \`${r.commit}\`` : ''}${age} · ${verified}`);
  }
  fields.push(
    env.lock
      ? md`*Lock*\n:lock: ${mention(env.lock.holderId)} (${env.lock.kind}): ${env.lock.reason}, ${ago(env.lock.since, now)}`
      : '*Lock*\nnone',
  );
  fields.push(
    env.workflow
      ? `*In flight*\n${env.workflow.kind}${env.workflow.ref ? ` ${env.workflow.ref}` : ''}: ${env.workflow.step} (by <@${env.workflow.requesterId}>, ${ago(env.workflow.since, now)})`
      : '*In flight*\nnothing',
  );
  out.push({ type: 'fields', fields });
  if (env.openAlerts > 0) {
    const lines = env.alerts.map((a) => `• [${a.severity}] ${a.title} ×${a.count} (${ago(a.lastSeen, now)})`);
    const more = env.openAlerts > env.alerts.length ? `\n…and ${env.openAlerts - env.alerts.length} more` : '';
    out.push({ type: 'section', text: `*Open alerts* (${env.openAlerts})\n${lines.join('\n')}${more}` });
  } else out.push({ type: 'context', text: 'No open alerts.' });
  if (env.health) out.push({ type: 'context', text: env.health.label });
  if (env.guard) out.push({ type: 'context', text: guardLine(env.guard, now) });
  for (const sc of env.scheduled ?? []) out.push({ type: 'context', text: scheduledLine(sc) });
  if (canAct && env.flag?.on)
    out.push({
      type: 'actions',
      buttons: [flagOffButton(env.name, 'kill switch from the Home tab', `Turn flag off in ${env.name}`)],
    });
  return out;
}

function approvalBlocks(approvals: readonly HomeApproval[], viewer: Pick<Caller, 'userId' | 'role'>): HomeBlock[] {
  if (approvals.length === 0) return [{ type: 'section', text: '*Pending approvals*\nnone' }];
  const out: HomeBlock[] = [{ type: 'section', text: `*Pending approvals* (${approvals.length})` }];
  for (const a of approvals.slice(0, HOME_MAX_APPROVALS)) {
    out.push({
      type: 'section',
      text: `*${a.title}*\nasked by <@${a.requesterId}> · needs ${aRole(a.approverRole)} · expires ${slackTime(a.expiresAt)}`,
    });
    const check = canDecide(a, viewer.userId, viewer.role);
    if (check.ok)
      out.push({
        type: 'actions',
        buttons: [
          {
            actionId: APPROVE_ACTION,
            label: 'Approve',
            value: a.id,
            style: 'primary',
            confirm: `Run "${a.title}" now?`,
          },
          { actionId: REJECT_ACTION, label: 'Reject', value: a.id, style: 'danger' },
        ],
      });
    else out.push({ type: 'context', text: check.reason });
  }
  if (approvals.length > HOME_MAX_APPROVALS)
    out.push({ type: 'context', text: `…and ${approvals.length - HOME_MAX_APPROVALS} more.` });
  return out;
}

/** Issue 23 §1: "📅 Scheduled `S1`: flag on at <time>, by <@A> · approved ahead by <@B>". */
function scheduledLine(s: HomeScheduled): string {
  const approval = approvalState(s).text;
  const state = s.running
    ? ' · running now'
    : s.asked
      ? ' · :question: the flag was turned off since: waiting for a confirmation'
      : '';
  return `:calendar: Scheduled \`${s.id}\`: flag ${s.target} at ${slackTime(s.runAt)}, by <@${s.requesterId}> · ${approval}${state}`;
}

/** Issue 21: "🛡️ Guarding FEATURE_AUTORISEN went on (v42): 24 min left; on a regression: flag off". */
function guardLine(g: NonNullable<HomeEnv['guard']>, now: number): string {
  const left = Math.max(0, Math.ceil((g.endsAt - now) / 60_000));
  return `:shield: Guarding ${g.label}: ${left} min left; on a regression: ${g.action.replace('_', ' ')}${g.note ? ` (${g.note})` : ''}`;
}
