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

/**
 * Run the bot's entry point as `npm start` does, with piped stdin (one command per line) and only
 * the given environment (plus PATH and HOME): the shell transport, exactly as a newcomer meets it.
 */
export function runShell(lines: string[], env: Record<string, string>, cwd: string = root): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}
