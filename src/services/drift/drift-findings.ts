import { quoteSafe, RUN_ACTION } from '../../core/command-buttons.ts';
import type { Button, Message, MessageBlock } from '../../core/message.ts';
import { md, mention } from '../../core/mrkdwn.ts';
import type { DriftFacts } from './drift-facts.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DriftSettings {
  afterDays: number;
  lockedHours: number;
}

/** One line of the digest and the button that fixes it (an `autorisen:run`, so the normal path applies). */
export interface DriftLine {
  kind: 'flag' | 'ahead' | 'rollback' | 'locked' | 'faulty';
  text: string;
  button: Button;
}

const run = (label: string, value: string, confirm: string, style?: Button['style']): Button => ({
  actionId: RUN_ACTION,
  label,
  value,
  confirm,
  ...(style ? { style } : {}),
});
const days = (ms: number) => `${Math.floor(ms / DAY)} d`;
const hours = (ms: number) => `${Math.floor(ms / HOUR)} h`;
const short = (sha: string) => sha.slice(0, 7);

/**
 * What has drifted for longer than the settings allow (pure: facts and now in, lines out). Nothing
 * unknown is reported: a part a vendor did not answer, or a time it did not give, is left out.
 */
export function driftLines(f: DriftFacts, now: number, s: DriftSettings): DriftLine[] {
  const lines: DriftLine[] = [];
  const old = (since: number | null) => since !== null && now - since >= s.afterDays * DAY;
  const { staging, production } = f;
  const release = (sha: string) =>
    run(
      `Release ${short(sha)}`,
      `release ${sha}`,
      `Release ${short(sha)} (what ${staging.name} runs) to ${production.name}, with its gates and approval?`,
      'primary',
    );

  if (staging.flagOn === true && production.flagOn === false && old(staging.flagSince))
    lines.push({
      kind: 'flag',
      text: md`:large_orange_circle: FEATURE_AUTORISEN is on in ${staging.name} only, for ${days(now - staging.flagSince!)}.`,
      button: run(
        `Flag on ${production.name}`,
        `flag on ${production.name} --reason "${quoteSafe(`drift digest: on in ${staging.name} for ${days(now - staging.flagSince!)}`)}"`,
        `Ask for approval to turn FEATURE_AUTORISEN on in ${production.name}?`,
      ),
    });

  const last = f.lastProductionRun;
  const lastAt = last ? (last.finishedAt ?? last.updatedAt) : null;
  const behind = f.stagingAheadBy !== null && f.stagingAheadBy > 0 && staging.commit.sha !== null;
  if (last?.workflow === 'rollback' && behind && old(lastAt))
    lines.push({
      kind: 'rollback',
      text: md`:rewind: A rollback by ${mention(last.requesterId)} left ${production.name} behind ${staging.name} for ${days(now - lastAt!)}: ${staging.name} runs ${short(staging.commit.sha!)}, ${f.stagingAheadBy} commit(s) ahead.`,
      button: release(staging.commit.sha!),
    });
  else if (behind && old(staging.commit.since))
    lines.push({
      kind: 'ahead',
      text: md`:arrow_double_up: ${staging.name} runs ${short(staging.commit.sha!)}, ${f.stagingAheadBy} commit(s) ahead of ${production.name} (${short(production.commit.sha ?? '?')}), for ${days(now - staging.commit.since!)}.`,
      button: release(staging.commit.sha!),
    });

  if (last?.workflow === 'release' && last.state === 'faulty' && old(lastAt))
    lines.push({
      kind: 'faulty',
      text: md`:warning: The release by ${mention(last.requesterId)} went out faulty ${days(now - lastAt!)} ago and nothing has followed it on ${production.name}.`,
      button: release(staging.commit.sha ?? 'main'),
    });

  for (const lock of f.locks)
    if (now - lock.acquiredAt >= s.lockedHours * HOUR)
      lines.push({
        kind: 'locked',
        text: md`:lock: ${lock.env} has been locked by ${mention(lock.holderId)} (${lock.kind}) for ${hours(now - lock.acquiredAt)}: ${lock.reason}`,
        button: run(`Unlock ${lock.env}`, `unlock ${lock.env}`, `Lift the ${lock.kind} lock on ${lock.env}?`),
      });
  return lines;
}

/** The digest: one section per line, the buttons in the same order. */
export function digestMessage(lines: readonly DriftLine[], day: string): Message {
  const head = md`:information_source: *Drift digest, ${day}*: ${lines.length} thing(s) have differed for longer than they should.`;
  const blocks: MessageBlock[] = [
    { type: 'section', text: head },
    ...lines.map((l) => ({ type: 'section' as const, text: l.text })),
  ];
  return {
    text: [head, ...lines.map((l) => l.text)].join('\n'),
    blocks,
    // Two lines fixed by the same release share one button.
    buttons: lines.map((l) => l.button).filter((b, i, all) => all.findIndex((o) => o.value === b.value) === i),
    visibility: 'in_channel',
  };
}
