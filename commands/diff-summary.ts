/**
 * Messages of `/autorisen diff`: the summary (counts, breaking changes by operation, namespace
 * findings, notes) and the full report as thread replies. Pure: report in, transport-neutral
 * Messages out; the Slack renderer enforces Block Kit limits, these keep each message readable.
 */
import type { Message, MessageBlock } from '../src/core/message.ts';
import type { DiffReport, SpecChange } from '../src/ports/spec-diff.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';

/** Most operations whose breaking changes the summary lists; the rest are in the thread. */
export const SUMMARY_OPERATIONS = 12;
/** Most sentences per operation in the summary. */
export const SUMMARY_CHANGES_PER_OPERATION = 6;
/** Most namespace findings in the summary. */
export const SUMMARY_NAMESPACE_FINDINGS = 10;
/** One code block of the thread report: under Slack's 3000-char section text once fenced (§A6). */
export const THREAD_CHUNK_CHARS = 2_800;
/** Code blocks per thread reply, and replies per report: a long report stays a few screens. */
export const THREAD_BLOCKS_PER_REPLY = 3;
export const THREAD_MAX_REPLIES = 6;

const ICON = {
  breaking: ':red_circle:',
  warning: ':large_orange_circle:',
  'non-breaking': ':large_green_circle:',
} as const;

/** The summary, and whether the thread report holds anything the summary does not. */
export function summaryMessage(
  report: DiffReport,
  title: string,
  when: (ms: number) => string,
): { message: Message; needsThread: boolean } {
  const { breaking, warning, nonBreaking } = report.summary;
  const icon = breaking ? ICON.breaking : warning ? ICON.warning : ICON['non-breaking'];
  const counts = `${breaking} breaking · ${warning} warning · ${nonBreaking} non-breaking`;
  const blocks: MessageBlock[] = [{ type: 'section', text: `${icon} *${title}*\n*${counts}*` }];
  const text = [`${title}: ${counts}`];
  let shown = 0;

  const byOp = new Map<string, SpecChange[]>();
  for (const c of report.changes)
    if (c.severity === 'breaking' && !c.ignored)
      byOp.set(c.operation || '(document)', [...(byOp.get(c.operation || '(document)') ?? []), c]);
  const ops = [...byOp].slice(0, SUMMARY_OPERATIONS);
  for (const [op, list] of ops) {
    const lines = list
      .slice(0, SUMMARY_CHANGES_PER_OPERATION)
      .map((c) => `• ${escapeMrkdwn(c.message)}${escapeMrkdwn(also(c))} \`${c.rule}\``);
    if (list.length > SUMMARY_CHANGES_PER_OPERATION)
      lines.push(`• _…${list.length - SUMMARY_CHANGES_PER_OPERATION} more in the thread_`);
    shown += Math.min(list.length, SUMMARY_CHANGES_PER_OPERATION);
    blocks.push({ type: 'section', text: `*\`${escapeMrkdwn(op)}\`*\n${lines.join('\n')}` });
    text.push(escapeMrkdwn(`${op}: ${list.map((c) => c.message).join(' ')}`));
  }
  if (byOp.size > ops.length)
    blocks.push({
      type: 'context',
      text: `…and ${byOp.size - ops.length} more operations with breaking changes, in the thread.`,
    });

  const ns = report.namespaceFindings ?? [];
  if (ns.length) {
    const lines = ns.slice(0, SUMMARY_NAMESPACE_FINDINGS).map((f) => `• ${escapeMrkdwn(f.message)}`);
    if (ns.length > SUMMARY_NAMESPACE_FINDINGS)
      lines.push(`• _…${ns.length - SUMMARY_NAMESPACE_FINDINGS} more in the thread_`);
    blocks.push({ type: 'section', text: `*Outside the rollout namespace*\n${lines.join('\n')}` });
    text.push(escapeMrkdwn(`Namespace: ${ns.map((f) => f.message).join(' ')}`));
  }

  const needsThread = report.changes.length > shown || ns.length > SUMMARY_NAMESPACE_FINDINGS;
  const context = [...(report.notes ?? [])];
  if (report.cachedAt !== undefined) context.unshift(`cached result from ${when(report.cachedAt)} (same documents)`);
  if (report.changes.length === 0) context.unshift('No differences that matter to clients.');
  else if (needsThread) context.push('Full report in the thread.');
  if (context.length) blocks.push({ type: 'context', text: context.join(' · ') });
  return { message: { text: text.join('\n'), blocks }, needsThread };
}

/** The full report as thread replies: code blocks of whole lines, each under the section limit. */
export function threadMessages(report: DiffReport, title: string, cliHint: string): Message[] {
  const lines = report.changes.map(
    (c) =>
      `[${c.ignored ? `ignored ${c.severity}` : c.severity}] ${c.rule} ${c.operation ? `${c.operation} ` : ''}${c.location ? `(${c.location}) ` : ''}— ${c.message}${also(c)}`,
  );
  for (const f of report.namespaceFindings ?? []) lines.push(`[namespace] ${f.rule} — ${f.message}`);
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > THREAD_CHUNK_CHARS ? `${raw.slice(0, THREAD_CHUNK_CHARS - 1)}…` : raw;
    if (current && current.length + 1 + line.length > THREAD_CHUNK_CHARS) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  const room = THREAD_BLOCKS_PER_REPLY * THREAD_MAX_REPLIES;
  const kept = chunks.slice(0, room);
  const replies: Message[] = [];
  for (let i = 0; i < kept.length; i += THREAD_BLOCKS_PER_REPLY) {
    const part = replies.length + 1;
    const total = Math.ceil(kept.length / THREAD_BLOCKS_PER_REPLY);
    replies.push({
      text: `${title}: full report, part ${part} of ${total}`,
      blocks: [
        { type: 'context', text: `${title}: full report, part ${part} of ${total}` },
        ...kept.slice(i, i + THREAD_BLOCKS_PER_REPLY).map((t): MessageBlock => ({ type: 'code', text: t })),
      ],
    });
  }
  if (chunks.length > kept.length) {
    const left = chunks.slice(room).reduce((n, c) => n + c.split('\n').length, 0);
    replies.push({ text: `…${left} more lines not posted. For everything, run \`${cliHint}\`.` });
  }
  return replies;
}

function also(c: SpecChange): string {
  const n = c.alsoAffects?.length ?? 0;
  return n
    ? ` (also ${n} more operation${n === 1 ? '' : 's'}: ${c.alsoAffects!.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''})`
    : '';
}
