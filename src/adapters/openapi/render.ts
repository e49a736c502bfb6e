/** Text and Markdown renderings of a DiffReport (JSON is the report itself). */
import type { DiffReport, SpecChange } from '../../ports/spec-diff.ts';

/** Hidden marker that finds the one PR comment we own again. */
export const PR_COMMENT_MARKER = '<!-- autorisen-diff -->';

const ICON = { breaking: '🔴', warning: '🟠', 'non-breaking': '🟢' } as const;

function affects(c: SpecChange): string {
  return c.alsoAffects?.length
    ? ` (also ${c.alsoAffects.length} more operation${c.alsoAffects.length > 1 ? 's' : ''}: ${c.alsoAffects.join(', ')})`
    : '';
}

/** One line per change, grouped by severity; for terminals and CI logs. */
export function renderText(report: DiffReport, title = 'OpenAPI diff'): string {
  const { breaking, warning, nonBreaking } = report.summary;
  const lines = [`${title}: ${breaking} breaking, ${warning} warning, ${nonBreaking} non-breaking`];
  for (const c of report.changes) {
    const tag = c.ignored ? `ignored ${c.severity}` : c.severity;
    lines.push(
      `  [${tag}] ${c.rule} ${c.operation ? `${c.operation} ` : ''}${c.location ? `(${c.location}) ` : ''}— ${c.message}${affects(c)}${c.ignored ? ` [accepted by ${c.ignored.owner} until ${c.ignored.expires}: ${c.ignored.reason}]` : ''}`,
    );
  }
  if (report.namespaceFindings?.length) {
    lines.push('Namespace findings:');
    for (const f of report.namespaceFindings) lines.push(`  [${f.rule}] ${f.message}`);
  }
  for (const n of report.notes ?? []) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown report for PR comments: summary, breaking changes by operation, then the rest. */
export function renderMarkdown(report: DiffReport, title = 'OpenAPI diff'): string {
  const { breaking, warning, nonBreaking } = report.summary;
  const out = [
    PR_COMMENT_MARKER,
    `### ${breaking ? '🔴' : warning ? '🟠' : '🟢'} ${title}`,
    '',
    `**${breaking}** breaking · **${warning}** warning · **${nonBreaking}** non-breaking`,
    '',
  ];
  const live = report.changes.filter((c) => !c.ignored);
  const byOp = new Map<string, SpecChange[]>();
  for (const c of live.filter((x) => x.severity === 'breaking'))
    byOp.set(c.operation || '(document)', [...(byOp.get(c.operation || '(document)') ?? []), c]);
  if (byOp.size) {
    out.push('#### Breaking changes', '');
    for (const [op, list] of byOp) {
      out.push(`**\`${op}\`**`);
      for (const c of list) out.push(`- ${md(c.message)} <sub>\`${c.rule}\`${affects(c) ? md(affects(c)) : ''}</sub>`);
      out.push('');
    }
  }
  if (report.namespaceFindings?.length) {
    out.push('#### Outside the rollout namespace', '');
    for (const f of report.namespaceFindings) out.push(`- ${md(f.message)} <sub>\`${f.rule}\`</sub>`);
    out.push('');
  }
  // Accepted breaks stay in view with who accepted them, why and until when, so a reviewer can
  // challenge the acceptance instead of finding a bare "ignored" in a collapsed table.
  const accepted = report.changes.filter((c) => c.ignored);
  if (accepted.length) {
    out.push('#### Accepted in the ignore file', '');
    for (const c of accepted)
      out.push(
        `- ${c.operation ? `**\`${c.operation}\`** ` : ''}${md(c.message)} — accepted by ${md(c.ignored!.owner)} until ${md(c.ignored!.expires)}: ${md(c.ignored!.reason)} <sub>${c.severity} · \`${c.rule}\`</sub>`,
      );
    out.push('');
  }
  const rest = live.filter((c) => c.severity !== 'breaking');
  if (rest.length) {
    out.push(
      '<details><summary>Other changes</summary>',
      '',
      '| | rule | operation | location | change |',
      '|---|---|---|---|---|',
    );
    for (const c of rest)
      out.push(
        `| ${c.ignored ? '⚪ ignored' : ICON[c.severity]} | \`${c.rule}\` | ${md(c.operation)} | ${md(c.location)} | ${md(c.message)} |`,
      );
    out.push('', '</details>');
  }
  if (report.notes?.length) out.push('', ...report.notes.map((n) => `<sub>${md(n)}</sub>`));
  return out.join('\n');
}
