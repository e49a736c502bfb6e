/** CI renderings of a DiffReport: GitHub Actions workflow-command annotations and JUnit XML. */
import type { DiffReport, Severity, SpecChange } from '../../ports/spec-diff.ts';

/** Severities that fail the build for a --fail-on value. */
export function failing(failOn: 'breaking' | 'warning' | 'none'): Set<Severity> {
  return new Set<Severity>(failOn === 'none' ? [] : failOn === 'warning' ? ['breaking', 'warning'] : ['breaking']);
}

/** GitHub's escaping of a workflow-command message (toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow-command property value (toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The inverse of escapeProperty/escapeData (what the runner does); used by tests. */
export function unescapeWorkflow(s: string): string {
  return s.replace(/%(25|0D|0A|3A|2C)/g, (_, c: string) => decodeURIComponent(`%${c}`));
}

const COMMAND: Record<Severity, string> = { breaking: 'error', warning: 'warning', 'non-breaking': 'notice' };

function where(c: SpecChange): string {
  return [c.operation, c.location].filter(Boolean).join(' ');
}

/**
 * One `::error|warning|notice file=…,title=…::message` line per change (an accepted break is a
 * notice), so each shows on the PR's "Files changed" tab against the revision spec.
 */
export function renderGithubActions(report: DiffReport, file: string): string {
  const lines = report.changes.map((c) => {
    const level = c.ignored ? 'notice' : COMMAND[c.severity];
    const title = `${c.ignored ? `accepted ${c.severity}` : c.severity}: ${c.rule}`;
    const message = `${where(c) ? `${where(c)}: ` : ''}${c.message}${c.ignored ? ` (accepted by ${c.ignored.owner} until ${c.ignored.expires}: ${c.ignored.reason})` : ''}`;
    return `::${level} file=${escapeProperty(file)},title=${escapeProperty(title)}::${escapeData(message)}`;
  });
  const { breaking, warning, nonBreaking } = report.summary;
  lines.push(`OpenAPI diff: ${breaking} breaking, ${warning} warning, ${nonBreaking} non-breaking`);
  return lines.join('\n');
}

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// XML 1.0 cannot carry most control characters even escaped; drop them.
const xml = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters XML 1.0 forbids
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (ch) => XML[ch]!);

/** JUnit XML: one test case per change, failed when its severity is at or above --fail-on. */
export function renderJunit(report: DiffReport, title: string, failOn: 'breaking' | 'warning' | 'none'): string {
  const fails = failing(failOn);
  const cases = report.changes.map((c) => {
    const failed = !c.ignored && fails.has(c.severity);
    const name = xml(`${c.rule}${c.location ? ` at ${c.location}` : ''}`);
    const head = `    <testcase classname="${xml(c.operation || 'document')}" name="${name}">`;
    if (failed)
      return `${head}\n      <failure type="${c.severity}" message="${xml(c.message)}">${xml(`${c.severity}: ${where(c)}\n${c.message}`)}</failure>\n    </testcase>`;
    const out = `${c.severity}${c.ignored ? ` (accepted by ${c.ignored.owner} until ${c.ignored.expires})` : ''}: ${c.message}`;
    return `${head}\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
  });
  const failures = report.changes.filter((c) => !c.ignored && fails.has(c.severity)).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="autorisen diff" tests="${report.changes.length}" failures="${failures}">`,
    `  <testsuite name="${xml(title)}" tests="${report.changes.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
