import { FLAG_VAR, rawFor, readFlag } from '../../core/flag.ts';
import type { Message } from '../../core/message.ts';
import { md } from '../../core/mrkdwn.ts';
import { formatSpan, formatWhen } from '../../core/schedule-time.ts';
import type { ScheduleRecord, ScheduleState } from '../../ports/stores/schedules.ts';
import { audit } from '../audit.ts';
import type { ScheduleDeps } from './schedule-deps.ts';
import { tellThread } from './schedule-port.ts';
import { blockerOf, offSince, recentAudit } from './schedule-checks.ts';
import type { AuditEntry } from '../../ports/stores/audit.ts';
import { stillRunQuestion, what } from './schedule-texts.ts';

/**
 * A claim older than this belongs to a dead process: a run types one `flag on` (its lock lasts
 * FLAG_LOCK_MS, 2 min, and its read-backs a few seconds), so five minutes is long past any live run.
 */
export const STALE_CLAIM_MS = 5 * 60_000;

/**
 * The scheduler's sweep (on the injected clock; tests call it directly). For each open schedule:
 * settle a claim a dead process left (reading the flag back), ask "still run it?" after a flag off,
 * skip one found later than the grace ("missed"), and run the ones due, exactly once across
 * instances (compare-and-set claim scheduled → running).
 */
export async function sweepSchedules(d: ScheduleDeps): Promise<void> {
  // The audit rows questions are asked from, read once per sweep (a run re-reads them fresh).
  let rows: Promise<AuditEntry[]> | null = null;
  const recent = () => (rows ??= recentAudit(d));
  for (const rec of await d.store.schedules.open()) {
    try {
      await sweepOne(d, rec, recent);
    } catch (err) {
      d.log.error({ err, scheduleId: rec.id }, 'scheduled change sweep failed');
    }
  }
}

async function sweepOne(d: ScheduleDeps, rec: ScheduleRecord, recent: () => Promise<AuditEntry[]>): Promise<void> {
  const now = d.clock.now();
  const zone = d.config.schedule.timezone;
  if (rec.state === 'running') {
    if (rec.claimedAt !== null && now - rec.claimedAt > STALE_CLAIM_MS) await settleStale(d, rec);
    return;
  }
  if (rec.runAt > now) {
    if (rec.target === 'on' && rec.askedAt === null) await askIfTurnedOff(d, rec, now, recent);
    return;
  }
  const late = now - rec.runAt;
  if (late > d.config.schedule.lateGraceMs) {
    const reason = `Missed: no instance of the bot was running at ${formatWhen(rec.runAt, zone)}, and it is ${formatSpan(late)} late now (more than the ${formatSpan(d.config.schedule.lateGraceMs)} grace), so it was not run. Schedule it again if it is still wanted.`;
    await finish(d, rec, 'scheduled', 'skipped', reason, 'missed');
    return;
  }
  await run(d, rec, late);
}

/** A flag off after it was scheduled: post the question once (compare-and-set), with buttons. */
async function askIfTurnedOff(
  d: ScheduleDeps,
  rec: ScheduleRecord,
  now: number,
  recent: () => Promise<AuditEntry[]>,
): Promise<void> {
  const off = await offSince(d, rec, recent);
  if (!off || !(await d.store.schedules.ask(rec.id, now))) return;
  const question = stillRunQuestion(rec, d.config.schedule.timezone, off.actor, off.at);
  await post(d, rec.channelId, rec, question);
}

async function run(d: ScheduleDeps, rec: ScheduleRecord, late: number): Promise<void> {
  const now = d.clock.now();
  if (
    !(await d.store.schedules.transition(rec.id, 'scheduled', 'running', { claimedAt: now, claimedBy: d.instanceId }))
  )
    return;
  // Read again once claimed: a "Still turn it on" clicked meanwhile is in it, and nothing moves it now.
  rec = (await d.store.schedules.get(rec.id)) ?? rec;
  const blocker = await blockerOf(d, rec);
  if (blocker) return void (await finish(d, rec, 'running', 'skipped', `Skipped: ${blocker}`, 'blocked'));
  const replies: Message[] = [];
  const dispatch = await d.dispatcher().command({
    userId: rec.requesterId,
    channelId: rec.channelId,
    text: commandLine(rec),
    correlationId: `schedule-${rec.id}`,
    responder: { reply: async (m) => void replies.push(m) },
    // The marker only code can set: approved ahead under this schedule (typed text cannot claim it).
    ...(rec.approvalId ? { approvedAhead: { id: `schedule ${rec.id}`, approvedBy: rec.approvedBy.join(',') } } : {}),
  });
  await dispatch.done;
  const said = [dispatch.ack, ...replies]
    .map((m) => m?.text ?? '')
    .filter(Boolean)
    .join('\n');
  const after = await readTarget(d, rec);
  // Up to a minute late is the sweep's own rhythm; more means no instance looked at its time.
  const lateText = late >= 60_000 ? ` ${formatSpan(late)} late` : ' on time';
  if (after === true) await finish(d, rec, 'running', 'ran', `Ran${lateText}.\n${said}`, 'ok');
  else if (after === null)
    await finish(
      d,
      rec,
      'running',
      'failed',
      `Result unknown: ${FLAG_VAR} could not be read back.\n${said}`,
      'unknown',
    );
  else await finish(d, rec, 'running', 'skipped', `Skipped: ${said || 'the change did not go through.'}`, 'refused');
}

/** A claim a dead process left: the flag read back says whether the change landed (invariant 4). */
async function settleStale(d: ScheduleDeps, rec: ScheduleRecord): Promise<void> {
  const landed = await readTarget(d, rec);
  const reads = landed === null ? 'could not be read' : `reads ${landed ? 'as' : 'not as'} ${rec.target}`;
  const text = `Interrupted by a restart while it ran; ${FLAG_VAR} ${reads} now, so it is settled as ${landed ? 'ran' : 'not run'}. It is not run again; \`/autorisen flag status ${rec.env}\` shows what Heroku has.`;
  await finish(d, rec, 'running', landed ? 'ran' : 'failed', text, landed ? 'settled_ok' : 'settled_not_applied');
}

/** Whether the flag is at the schedule's target now (null: Heroku could not be read). */
async function readTarget(d: ScheduleDeps, rec: ScheduleRecord): Promise<boolean | null> {
  const env = d.config.environments.find((e) => e.name === rec.env);
  if (!env) return null;
  try {
    return readFlag((await d.heroku.getConfigVars(env.herokuApp))[FLAG_VAR]).raw === rawFor(rec.target);
  } catch {
    return null;
  }
}

/** Close it (compare-and-set), audit it as the requester, and say so in its thread (and DM a skip). */
async function finish(
  d: ScheduleDeps,
  rec: ScheduleRecord,
  from: ScheduleState,
  to: ScheduleState,
  outcome: string,
  result: string,
): Promise<void> {
  const now = d.clock.now();
  if (!(await d.store.schedules.transition(rec.id, from, to, { finishedAt: now, outcome }))) return;
  await audit(d.store, d.log, {
    at: now,
    correlationId: `schedule-${rec.id}`,
    actorId: rec.requesterId,
    channelId: rec.channelId,
    command: 'schedule',
    args: `schedule run ${rec.id}`,
    action: 'run',
    result,
    detail: `schedule ${rec.id} (${what(rec, d.config.schedule.timezone)}): ${outcome}`,
    env: rec.env,
  });
  const icon = to === 'ran' ? ':white_check_mark:' : to === 'skipped' ? ':fast_forward:' : ':x:';
  await tellThread(d, rec, `${icon} ${outcome}`);
  // Never late in silence: a schedule that did not run is also told to its requester and the channel.
  if (to !== 'ran') {
    const how = to === 'skipped' ? 'did not run' : 'ended without a confirmed result';
    const told = {
      text: md`${icon} Scheduled \`${rec.id}\` (${what(rec, d.config.schedule.timezone)}) ${how}. ` + outcome,
    };
    await post(d, rec.requesterId, rec, told);
    if (d.config.announceChannel) await post(d, d.config.announceChannel, rec, told);
  }
}

async function post(d: ScheduleDeps, channel: string, rec: ScheduleRecord, message: Message): Promise<void> {
  try {
    await d.chat().post(channel, { ...message, visibility: 'in_channel' });
  } catch (err) {
    d.log.warn({ err, scheduleId: rec.id }, 'could not post about a scheduled change');
  }
}

/** The command line a run types, as its requester typed it (without the time); quotes kept intact. */
export function commandLine(rec: ScheduleRecord): string {
  const quote = ['"', "'"].find((q) => !rec.reason?.includes(q)) ?? '"';
  const reason = rec.reason ? ` --reason ${quote}${rec.reason.replaceAll(quote, '\u201D')}${quote}` : '';
  return `flag ${rec.target} ${rec.env}${reason}${rec.force ? ' --force' : ''}`;
}
