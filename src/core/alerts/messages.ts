import { flagOffButton, rollbackButton } from '../command-buttons.ts';
import type { AlertGroup, DigestSummary } from './alert-group.ts';
import { activityAlt, activityCaption, type AlertPicture } from './activity.ts';
import { formatActor, formatDuration, formatTime } from './context.ts';
import type { Severity } from './alerts.ts';
import type { Button, Message, MessageBlock } from '../message.ts';
import { link, markup, md } from '../mrkdwn.ts';

/** Button action ids owned by alerts (handled by src/services/alerts/actions.ts). */
export const ALERT_ACK_ACTION = 'autorisen:alert-ack';
export const ALERT_SILENCE_ACTION = 'autorisen:alert-silence';
// The command-line buttons (kill switch, rollback) live with their action id in command-buttons.ts.
export { RUN_ACTION } from '../command-buttons.ts';

/** Silence durations offered on alert messages, in hours. */
export const SILENCE_HOURS = [1, 4, 24] as const;

const ICON: Record<Severity, string> = { critical: '🔴', error: '🟠', warning: '🟡', info: '🔵' };
const SOURCE_NAME = { sentry: 'Sentry', alertmanager: 'Alertmanager', grafana: 'Grafana', heroku: 'Heroku' } as const;

/** Silence button value: "<hours>h|<fingerprint>"; parsed by parseSilenceValue. */
export function silenceValue(fingerprint: string, hours: number): string {
  return `${hours}h|${fingerprint}`;
}

export function parseSilenceValue(value: string): { hours: number; fingerprint: string } | null {
  const m = /^(\d{1,3})h\|(.+)$/.exec(value);
  if (!m) return null;
  const hours = Number(m[1]);
  return (SILENCE_HOURS as readonly number[]).includes(hours) ? { hours, fingerprint: m[2]! } : null;
}

/**
 * The one message of an alert, as it stands now: who acknowledged, silenced, or what resolved it;
 * with `picture`, how often it fired lately (chart image when it has a URL, sparkline always).
 */
export function renderAlert(g: AlertGroup, now: number, picture?: AlertPicture): Message {
  const resolved = g.status === 'resolved';
  const icon = resolved ? '✅' : ICON[g.severity];
  // Every piece from the payload (title, detail, env, links) is escaped by `md`: a Sentry title
  // is an exception message, often user input, and must never page the channel (issue 9 item 9).
  const headline = md`${icon} ${g.env ? `[${g.env}] ` : ''}${g.title}`;
  const seen = `×${g.count} · first ${formatTime(g.firstSeen, now)} · last ${formatTime(g.lastSeen, now)}`;
  const blocks: MessageBlock[] = [{ type: 'section', text: `*${headline}*${resolved ? ' — resolved' : ''}` }];
  if (g.alert.detail) blocks.push({ type: 'section', text: md`${g.alert.detail}` });
  blocks.push({
    type: 'fields',
    fields: [
      md`*Environment*\n${g.env ?? 'unknown'}`,
      `*Severity*\n${g.severity}`,
      `*Source*\n${SOURCE_NAME[g.source]}`,
      `*Seen*\n${seen}`,
    ],
  });
  if (picture) {
    if (picture.imageUrl) blocks.push({ type: 'image', url: picture.imageUrl, alt: activityAlt(picture.activity) });
    blocks.push({ type: 'context', text: activityCaption(picture.activity) });
  }
  // The context line is built from change history by describeContext, which escapes what came from outside.
  if (g.context) blocks.push({ type: 'context', text: `🕒 ${g.context}` });
  if (g.alert.links.length)
    blocks.push({ type: 'context', text: g.alert.links.map((l) => link(l.url, l.label).text).join(' · ') });
  const status: string[] = [];
  if (resolved)
    status.push(
      md`Resolved by ${g.resolvedBy ?? 'its source'}${g.resolvedAt !== null ? ` after ${formatDuration(g.resolvedAt - g.firstSeen)}` : ''}.`,
    );
  if (g.ackedBy)
    status.push(
      md`Acknowledged by ${markup(formatActor(g.ackedBy))}${g.ackedAt !== null ? ` at ${formatTime(g.ackedAt, now)}` : ''}.`,
    );
  // A silence holds back repeats of a firing alert; once resolved there is nothing left to hold back.
  const silenced = !resolved && g.silencedUntil !== null && g.silencedUntil > now;
  if (silenced)
    status.push(
      md`Silenced until ${formatTime(g.silencedUntil!, now)} by ${markup(formatActor(g.silencedBy))}: repeats are counted, not posted.`,
    );
  if (status.length) blocks.push({ type: 'section', text: status.join('\n') });
  const text = `${headline} — ${resolved ? 'resolved' : `firing ${seen}`}${g.ackedBy ? ` · acknowledged by ${formatActor(g.ackedBy)}` : ''}`;
  return { text, blocks, buttons: resolved ? [] : buttonsFor(g, silenced), visibility: 'in_channel' };
}

function buttonsFor(g: AlertGroup, silenced: boolean): Button[] {
  const buttons: Button[] = [];
  if (!g.ackedBy)
    buttons.push({ actionId: ALERT_ACK_ACTION, label: 'Acknowledge', value: g.fingerprint, style: 'primary' });
  if (!silenced)
    for (const h of SILENCE_HOURS)
      buttons.push({ actionId: ALERT_SILENCE_ACTION, label: `Silence ${h} h`, value: silenceValue(g.fingerprint, h) });
  if (g.env) {
    buttons.push(flagOffButton(g.env, `alert: ${g.title}`, 'Turn FEATURE_AUTORISEN off'), rollbackButton(g.env));
  }
  return buttons;
}

/** A thread reply for repeats folded into the message since it was last shown. */
export function renderRepeat(g: AlertGroup, delta: number, now: number): Message {
  const times = delta === 1 ? 'once more' : `${delta} more times`;
  return {
    text: md`Seen ${times} (×${g.count} in all), last at ${formatTime(g.lastSeen, now)}${g.alert.detail ? ` — ${g.alert.detail}` : ''}`,
    visibility: 'in_channel',
  };
}

/** Lines shown in a digest before "…and N more". */
export const DIGEST_LINES = 15;

/**
 * One message standing in for a storm: when more alerts are waiting for a channel than Slack's
 * ~1 message/s lets us post, they are summarised here and kept up to date instead. Only the
 * totals and the top lines are needed, so a digest of thousands of alerts stays cheap to render.
 */
export function renderDigest(summary: DigestSummary, since: number, now: number): Message {
  const { top, groups, events, firing } = summary;
  const headline = `🌩️ Alert storm: ${groups} alerts (${events} events, ${firing} still firing) since ${formatTime(since, now)}`;
  const lines = top.slice(0, DIGEST_LINES).map((g) => {
    const state = g.status === 'resolved' ? '✅' : ICON[g.severity];
    return md`${state} ×${g.count} ${g.env ? `[${g.env}] ` : ''}${g.title}${g.ackedBy ? markup(` (ack ${formatActor(g.ackedBy)})`) : ''}`;
  });
  const more = groups > lines.length ? `…and ${groups - lines.length} more. ` : '';
  return {
    text: headline,
    blocks: [
      { type: 'section', text: `*${headline}*` },
      { type: 'section', text: lines.join('\n') || '—' },
      {
        type: 'context',
        text: `${more}Too many at once to post one by one; \`/autorisen alerts\` lists the open ones. This message keeps counting.`,
      },
    ],
    visibility: 'in_channel',
  };
}

/** A Heroku release/build notice for the deploy channel; `text` is built from the payload, so it is escaped whole. */
export function renderNotice(text: string): Message {
  const icon = /failed|crashed/i.test(text) ? '⚠️' : '🚀';
  return { text: md`${icon} ${text}`, visibility: 'in_channel' };
}
