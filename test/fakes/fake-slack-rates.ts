import type { ChannelRate, SlackCall } from './fake-slack-types.ts';

/**
 * chat.postMessage pacing per channel, from the posts the fake recorded: Slack allows about one
 * message per second per channel, so `exceeded` marks a channel that got two within a second.
 */
export function postRates(posts: readonly SlackCall[]): ChannelRate[] {
  const byChannel = new Map<string, number[]>();
  for (const c of posts) {
    if (c.error !== null || c.status !== 200) continue;
    const ch = String(c.args.channel);
    byChannel.set(ch, [...(byChannel.get(ch) ?? []), c.at]);
  }
  return [...byChannel.entries()].map(([channel, times]) => {
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    return { channel, posts: times.length, maxInOneSecond: max, exceeded: max > 1 };
  });
}
