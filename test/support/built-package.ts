import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '../..');

/** Packages a production install does not have: devDependencies that run TypeScript. */
const DEV_ONLY = new Set(['tsx', 'esbuild', '@esbuild', 'typescript', 'vitest', '.bin']);

/**
 * Build the project into a fresh directory laid out like a deployed app (Heroku after it prunes
 * devDependencies) or an installed package: package.json, Procfile, bin/, dist/ from
 * `scripts/build.mjs`, and a node_modules with links to the installed packages except the ones that
 * run TypeScript, so anything that still needed tsx fails there instead of passing by accident.
 */
export function buildPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-build-'));
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), join(dir, 'dist')], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
  for (const file of ['package.json', 'Procfile']) copyFileSync(join(ROOT, file), join(dir, file));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'bin/autorisen.js'), join(dir, 'bin/autorisen.js'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules')))
    if (!DEV_ONLY.has(name)) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  return dir;
}
