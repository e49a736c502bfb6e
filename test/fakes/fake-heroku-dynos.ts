import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeHeroku } from './fake-heroku-api.ts';
import { HttpError, errorBody, invalid, notFound, type Reply } from './fake-heroku-errors.ts';
import { fakeTimestamp } from './fake-heroku-model.ts';
import { maxTimeToLiveSeconds } from './fake-heroku-schema.ts';

/**
 * One-off dynos and log sessions in the fake Heroku API, in the shapes of platform_api.schema.json
 * (PROTOCOLS.md §C6): POST /apps/{app}/dynos {command, attach, size, type, time_to_live} answers a
 * `dyno` named run.N; POST /apps/{app}/log-sessions {dyno_name, tail} answers a `logplex_url`
 * served by this fake under /streams/logs/{id}: plain log lines as Heroku writes them
 * (`<ts> heroku[run.N]: …` for the platform, `<ts> app[run.N]: …` for the command's output), a
 * few milliseconds apart, kept open like a tail. POST …/dynos/{dyno}/actions/stop stops it: SIGTERM
 * and "Process exited with status 143".
 */

/** What a dyno started with a command does: its output lines, then its exit (or it runs until stopped). */
export interface DynoScript {
  lines: string[];
  /** null: it never exits by itself (a timeout test). */
  exitStatus: number | null;
}

export interface FakeDyno {
  id: string;
  name: string;
  app: string;
  command: string;
  size: string;
  timeToLive: number | null;
  state: 'up' | 'complete' | 'down';
  /** Every log line so far (a session replays them, then tails). */
  log: string[];
  createdAt: string;
}

export interface DynoState {
  dynos: FakeDyno[];
  /** What the next dynos do, by command (default: one line of output, exit 0). */
  script: (command: string) => DynoScript;
  /** Log sessions by id: the dyno they follow. */
  sessions: Map<string, FakeDyno>;
  /** Open tails, written to as the dyno logs. */
  tails: Map<FakeDyno, Set<ServerResponse>>;
  next: number;
}

const states = new WeakMap<FakeHeroku, DynoState>();

/** The fake's dyno state (created on first use). */
export function dynos(fake: FakeHeroku): DynoState {
  let s = states.get(fake);
  if (!s) {
    s = {
      dynos: [],
      script: () => ({ lines: ['done'], exitStatus: 0 }),
      sessions: new Map(),
      tails: new Map(),
      next: 7166,
    };
    states.set(fake, s);
  }
  return s;
}

const stamp = (): string => new Date().toISOString().replace('Z', '+00:00');

/** Append a line to the dyno's log and write it to every open tail. */
function emit(state: DynoState, d: FakeDyno, source: 'heroku' | 'app', text: string): void {
  const line = `${stamp()} ${source}[${d.name}]: ${text}\n`;
  d.log.push(line);
  for (const res of state.tails.get(d) ?? []) res.write(line);
}

/** Play the script a few ms apart, as a running process logs. */
function play(state: DynoState, d: FakeDyno, script: DynoScript): void {
  const steps: (() => void)[] = [
    () => emit(state, d, 'heroku', `Starting process with command \`${d.command}\``),
    () => emit(state, d, 'heroku', 'State changed from starting to up'),
    ...script.lines.map((l) => () => emit(state, d, 'app', l)),
  ];
  if (script.exitStatus !== null) {
    const status = script.exitStatus;
    steps.push(() => {
      emit(state, d, 'heroku', `Process exited with status ${status}`);
      emit(state, d, 'heroku', 'State changed from up to complete');
      d.state = 'complete';
    });
  }
  const tick = () => {
    if (d.state !== 'up') return;
    steps.shift()?.();
    if (steps.length > 0) setTimeout(tick, 3);
  };
  setTimeout(tick, 3);
}

/** End a running dyno now with `status` (a test that holds a task open, e.g. across a restart). */
export function exitDyno(fake: FakeHeroku, name: string, status: number): void {
  const state = dynos(fake);
  const d = state.dynos.find((x) => x.name === name && x.state === 'up');
  if (!d) throw new Error(`fake heroku: no running dyno ${name}`);
  emit(state, d, 'heroku', `Process exited with status ${status}`);
  emit(state, d, 'heroku', 'State changed from up to complete');
  d.state = 'complete';
}

function dynoBody(d: FakeDyno): Record<string, unknown> {
  return {
    attach_url: null,
    command: d.command,
    created_at: d.createdAt,
    id: d.id,
    name: d.name,
    release: null,
    app: { name: d.app },
    size: d.size,
    state: d.state === 'up' ? 'up' : d.state === 'complete' ? 'complete' : 'down',
    type: 'run',
    time_to_live: d.timeToLive,
    updated_at: d.createdAt,
  };
}

/** Route a dyno or log-session request, or null when the path is not one of them. */
export function routeDynos(fake: FakeHeroku, method: string, path: string, body: unknown): Reply | null {
  const m = /^\/apps\/([^/]+)\/(dynos|log-sessions)(?:\/([^/]+)\/actions\/stop)?$/.exec(path);
  if (!m || method !== 'POST') return null;
  const appName = decodeURIComponent(m[1]!);
  if (!fake.apps.has(appName)) throw new HttpError(404, errorBody(404));
  const state = dynos(fake);
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (m[2] === 'dynos' && m[3]) {
    const key = decodeURIComponent(m[3]);
    const d = state.dynos.find((x) => x.app === appName && (x.id === key || x.name === key));
    if (!d) throw notFound("Couldn't find that process.", 'dyno');
    if (d.state === 'up') {
      emit(state, d, 'heroku', 'Stopping all processes with SIGTERM');
      emit(state, d, 'heroku', 'Process exited with status 143');
      emit(state, d, 'heroku', 'State changed from up to down');
      d.state = 'down';
    }
    return { status: 202, body: {} };
  }
  if (m[2] === 'dynos') {
    if (typeof b.command !== 'string' || b.command.trim() === '') throw invalid('Command must be a non-empty string.');
    if (b.attach !== undefined && typeof b.attach !== 'boolean') throw invalid('Attach must be a boolean.');
    if (b.time_to_live !== undefined && typeof b.time_to_live !== 'number')
      throw invalid('Time to live must be a number.');
    // The schema's dyno.time_to_live says "max 86400 seconds (24 hours)"; Heroku refuses more with a 422.
    const maxTtl = maxTimeToLiveSeconds();
    if (typeof b.time_to_live === 'number' && (b.time_to_live < 1 || b.time_to_live > maxTtl))
      throw invalid(`Time to live must be between 1 and ${maxTtl} seconds.`);
    const d: FakeDyno = {
      id: randomUUID(),
      name: `run.${state.next++}`,
      app: appName,
      command: b.command,
      size: typeof b.size === 'string' ? b.size : 'standard-1X',
      timeToLive: typeof b.time_to_live === 'number' ? b.time_to_live : null,
      state: 'up',
      log: [],
      createdAt: fakeTimestamp(),
    };
    state.dynos.push(d);
    play(state, d, state.script(d.command));
    return { status: 201, body: dynoBody(d) };
  }
  const dynoName = b.dyno_name;
  const d = state.dynos.find((x) => x.app === appName && x.name === dynoName);
  if (typeof dynoName === 'string' && !d) throw notFound("Couldn't find that process.", 'dyno');
  if (!d) throw invalid('This fake only serves log sessions of one dyno (dyno_name).');
  const id = randomUUID();
  state.sessions.set(id, d);
  return {
    status: 201,
    body: {
      created_at: fakeTimestamp(),
      id,
      logplex_url: `${fake.url}/streams/logs/${id}?srv=1325419200`,
      updated_at: fakeTimestamp(),
    },
  };
}

/** Serve a log session: the lines so far, then the new ones while the tail stays open. */
export function streamLogSession(fake: FakeHeroku, path: string, res: ServerResponse): void {
  const state = dynos(fake);
  const d = state.sessions.get(path.split('/').pop() ?? '');
  if (!d) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  for (const line of d.log) res.write(line);
  const tails = state.tails.get(d) ?? new Set<ServerResponse>();
  state.tails.set(d, tails);
  tails.add(res);
  res.on('close', () => tails.delete(res));
}
