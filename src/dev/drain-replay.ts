import { readFile } from 'node:fs/promises';
import { parseLogplexBody } from '../core/drain/logplex.ts';
import type { DrainSink } from '../services/drain/logdrain-intake.ts';

/** `/autorisen metrics` with no data, in the shell: feed it the sample recording rather than add a real drain. */
export function replayHint(env: string): string {
  return `In the shell, replay a recorded drain: \`/drain-replay examples/logdrain-sample.txt ${env}\`, then \`/autorisen metrics ${env}\` again. (In Slack the bot explains how to add the Heroku log drain.)`;
}

/** Lines per replayed POST, as Logplex batches them. */
const BATCH = 100;
const MINUTE_MS = 60_000;

/**
 * `/drain-replay <file> [env] [--as-recorded]` in the local shell: feed a recorded drain (a file of
 * octet-counted frames, as Heroku POSTs them) through the same intake as /hooks/logdrain, so the
 * thresholds, alerts and `/autorisen metrics` can be tried on a fresh clone. By default the lines
 * are shifted by whole minutes so the last one lands in the current minute (a recording from last week still shows in the last
 * hour); frame ids carry the replay time, so replaying again adds the data again, deliberately.
 */
export async function replayDrain(
  args: string,
  deps: {
    sink: DrainSink;
    envs: readonly string[];
    defaultEnv: string;
    now: () => number;
    afterwards: () => Promise<void>;
  },
): Promise<string> {
  const words = args.split(/\s+/).filter(Boolean);
  const asRecorded = words.includes('--as-recorded');
  const [file, envName] = words.filter((w) => !w.startsWith('--'));
  if (!file)
    return 'Usage: /drain-replay <file of logplex frames> [env] [--as-recorded] (e.g. examples/logdrain-sample.txt)';
  const env = envName ?? deps.defaultEnv;
  if (!deps.envs.includes(env)) return `No environment called "${env}"; try one of: ${deps.envs.join(', ')}.`;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (err) {
    return `Could not read ${file}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const { messages, malformed } = parseLogplexBody(body);
  if (messages.length === 0) return `No readable logplex frame in ${file} (${malformed} malformed).`;
  const now = deps.now();
  // Shift by whole minutes, so each line keeps its place within its minute: the per-minute
  // aggregates (and a p95 of a minute that holds the recording's one 30 s timeout) are those of the
  // recording, whatever second of the minute the replay runs at.
  const shift = asRecorded ? 0 : Math.floor((now - Math.max(...messages.map((m) => m.at))) / MINUTE_MS) * MINUTE_MS;
  let counted = 0;
  for (let i = 0; i < messages.length; i += BATCH) {
    const batch = messages.slice(i, i + BATCH).map((m) => ({ ...m, at: m.at + shift }));
    const r = await deps.sink.accept({ env, frameId: `replay-${now}-${i}`, receivedAt: now, messages: batch });
    counted += r.counted;
  }
  await deps.afterwards();
  const span = Math.round((Math.max(...messages.map((m) => m.at)) - Math.min(...messages.map((m) => m.at))) / 60_000);
  return `Replayed ${messages.length} lines (${span} min${asRecorded ? '' : ', shifted to end now'}) into ${env}: ${counted} counted, ${malformed} malformed frame(s) skipped. Try /autorisen metrics ${env} and /autorisen alerts ${env}.`;
}
