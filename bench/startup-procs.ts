import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Helpers of the start-up benchmark: process-tree RSS from /proc, free ports, boot to /healthz. */

/** RSS (bytes) of `pid` and every descendant, from /proc (Linux). */
export function treeRss(pid: number): { bytes: number; processes: number } {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, pp] of parent) if (tree.has(pp) && !tree.has(p)) tree.add(p), (grew = true);
  }
  let bytes = 0;
  for (const p of tree) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      bytes += m ? Number(m[1]) * 1024 : 0;
    } catch {
      // gone
    }
  }
  return { bytes, processes: tree.size };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * User + system CPU (ms) `pid` has used so far, all its threads (/proc/<pid>/stat fields 14–15, in
 * clock ticks of 10 ms). Other work on a shared machine stretches wall time, hardly CPU time.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: field 3 is index 0, so utime (14) and stime (15) are 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawn `cmd args` and poll /healthz until it answers 200; the time from spawn to that answer. */
export async function bootToHealthz(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; port: number },
): Promise<{ child: ChildProcess; bootMs: number; cpuMs: number }> {
  const started = performance.now();
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited (${child.exitCode}) before /healthz`);
    const ok = await fetch(`http://127.0.0.1:${opts.port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, bootMs: performance.now() - started, cpuMs: cpuMs(child.pid!) };
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  throw new Error(`${cmd} ${args.join(' ')}: no /healthz 200 within 15 s`);
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Wall time of a command run to completion. */
export function wallMs(cmd: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
