/**
 * Reading a one-off dyno's log, pure. Heroku's own lines about a `run.N` dyno come from
 * `heroku[run.N]:` — "Starting process with command …", "State changed from up to complete" and,
 * at the end, "Process exited with status N" (143 after a SIGTERM stop). The app's own output
 * comes from `app[run.N]:`.
 */

const EXIT = /\bheroku\[([\w.-]+)\]:\s+Process exited with status (\d+)\s*$/;

/** The exit status the line reports for `dynoName`, or null when it is not that dyno's exit line. */
export function exitStatusOf(line: string, dynoName: string): number | null {
  const m = EXIT.exec(line);
  if (!m || m[1] !== dynoName) return null;
  return Number(m[2]);
}

/** Lines to show in Slack: the log line without the `2026-…+00:00 ` timestamp, kept short. */
export function displayLine(line: string, max = 300): string {
  const bare = line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)\s+/, '');
  return bare.length > max ? `${bare.slice(0, max - 1)}…` : bare;
}

/** A block of log lines as one Slack code block (backticks broken up so the block cannot be closed early). */
export function logBlock(lines: readonly string[]): string {
  const body = lines.map((l) => displayLine(l).replace(/```/g, "'''")).join('\n');
  return `\`\`\`\n${body}\n\`\`\``;
}
