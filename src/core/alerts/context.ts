import { escapeMrkdwn } from '../mrkdwn.ts';
import type { ChangeEvent } from './alerts.ts';

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "14:03 UTC" (with the date when it is not the same UTC day as `now`). */
export function formatTime(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

/** Slack user ids become mentions; emails and names (outside text) are escaped for mrkdwn. */
export function formatActor(actor: string | null): string {
  if (!actor) return 'someone';
  return /^[UW][A-Z0-9]{5,}$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor);
}

/**
 * The context line: which deploy/rollback/config change the alert came after, and any flag change,
 * within `windowMinutes` before `at` on the alert's environment. Example:
 * "12 min after v664 (deploy of 3f2a1c by @ana); FEATURE_AUTORISEN turned on 5 min ago by @ben".
 * Null when nothing changed in the window.
 */
export function describeContext(changes: readonly ChangeEvent[], at: number, windowMinutes: number): string | null {
  const inWindow = changes.filter((c) => c.at <= at && at - c.at <= windowMinutes * 60_000).sort((a, b) => b.at - a.at);
  const parts: string[] = [];
  const release = inWindow.find((c) => c.kind !== 'flag');
  if (release) {
    const v = release.version !== null ? `v${release.version}` : 'a release';
    const what =
      release.kind === 'deploy'
        ? `deploy${release.commit ? ` of ${release.commit}` : ''}`
        : release.kind === 'rollback'
          ? release.description.toLowerCase().startsWith('rollback')
            ? release.description.replace(/^Rollback/, 'rollback')
            : 'rollback'
          : release.description || release.kind;
    parts.push(`${formatDuration(at - release.at)} after ${v} (${what} by ${formatActor(release.actor)})`);
  }
  const flag = inWindow.find((c) => c.kind === 'flag');
  if (flag) {
    const d = flag.description.trim();
    const verb = /^(on|off|true|false|\d+%?)$/i.test(d) ? `turned ${flagWord(d)}` : 'changed';
    parts.push(`FEATURE_AUTORISEN ${verb} ${formatDuration(at - flag.at)} ago by ${formatActor(flag.actor)}`);
  }
  return parts.length ? parts.join('; ') : null;
}

function flagWord(v: string): string {
  const w = v.toLowerCase();
  if (w === 'true') return 'on';
  if (w === 'false') return 'off';
  return /^\d+$/.test(w) ? `${w}%` : w;
}
