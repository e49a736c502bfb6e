/**
 * A time as Slack's date token: Slack renders `<!date^…>` in each reader's own time zone and shows
 * the fallback (UTC) where it cannot; the local shell prints the fallback (src/dev/render-text.ts).
 * Every message that shows a time uses this, so they all read alike.
 */
export function slackTime(ms: number): string {
  const iso = `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}
