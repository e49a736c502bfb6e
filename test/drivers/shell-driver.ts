import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url).pathname;
// Absolute, so the child can run in any working directory (e.g. an empty one with no config file).
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ShellRun {
  code: number | null;
  out: string;
  err: string;
}

/** The bot's entry point under tsx, with piped stdio and only `env` (plus PATH and HOME). */
function spawnBot(env: Record<string, string>, cwd: string) {
  return spawn(process.execPath, ['--import', tsx, join(root, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Run the bot's entry point as `npm start` does, with piped stdin (one command per line) and only
 * the given environment (plus PATH and HOME): the shell transport, exactly as a newcomer meets it.
 */
export function runShell(lines: string[], env: Record<string, string>, cwd: string = root): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawnBot(env, cwd);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** A shell kept open: type a line when the output shows what a person would wait for. */
export interface LiveShell {
  /** Everything printed so far. */
  out(): string;
  send(line: string): void;
  /** Resolve with the output once `pattern` appears in what was printed after `from` (default: anywhere). */
  waitFor(pattern: RegExp, opts?: { from?: number; timeoutMs?: number }): Promise<RegExpMatchArray>;
  /** End input (the shell exits at end of input) and wait for the process. */
  end(): Promise<ShellRun>;
}

/** Like `runShell`, but interactive: lines are sent one at a time, as answers to what the shell printed. */
export function startShell(env: Record<string, string>, cwd: string = root): LiveShell {
  const child = spawnBot(env, cwd);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const w of waiters) w();
      resolve(code);
    });
  });
  return {
    out: () => out,
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor(pattern, opts = {}) {
      const from = opts.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`the shell exited before ${pattern} appeared:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${pattern} did not appear within ${opts.timeoutMs ?? 30_000} ms:\n${out}\n${err}`));
        }, opts.timeoutMs ?? 30_000);
        waiters.add(check);
        check();
      });
    },
    async end() {
      child.stdin.end();
      return { code: await closed, out, err };
    },
  };
}
