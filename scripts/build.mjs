#!/usr/bin/env node
// @ts-check
/**
 * `npm run build [-- <outDir>]`: compile src/ and commands/ to plain JavaScript in dist/ (or
 * <outDir>, which tests use), copy the files the compiled code reads at run time next to it, and
 * bundle the web entry, dist/src/main.js (scripts/bundle-web.mjs).
 * Heroku's Node.js buildpack runs this (the `build` script) before it prunes devDependencies, and
 * `npm pack` runs it (`prepack`), so production and an installed CLI never need tsx.
 * Plain JavaScript so that it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWeb } from './bundle-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'dist'));

/** Files read at run time through paths relative to a module (`new URL('…', import.meta.url)`). */
const ASSETS = [
  // src/adapters/store/migrate.ts lists this directory and runs each .sql file.
  { from: 'src/adapters/store/migrations', filter: (/** @type {string} */ f) => f.endsWith('.sql') },
  // Worker threads are plain JavaScript (.mjs), which tsc does not emit: the SQLite checkpointer's
  // and openapi-diff's cross-check.
  { from: 'src/adapters/store', filter: (/** @type {string} */ f) => f.endsWith('.mjs') },
  { from: 'src/adapters/openapi', filter: (/** @type {string} */ f) => f.endsWith('.mjs') },
  // src/dev/sandbox.ts: the shell's sandbox falls back to the example config.
  { from: 'autorisen.config.example.yml' },
];

// A stale module from a renamed source file must not survive into the build.
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (built.status !== 0) process.exit(built.status ?? 1);

for (const asset of ASSETS) {
  const from = join(root, asset.from);
  const to = join(out, asset.from);
  if (asset.filter) {
    mkdirSync(to, { recursive: true });
    for (const file of readdirSync(from).filter(asset.filter)) cpSync(join(from, file), join(to, file));
  } else cpSync(from, to);
}
// The web process boots from a bundle of the above (scripts/bundle-web.mjs says why and what stays).
await bundleWeb(root, out);
process.stdout.write(`built ${out}\n`);
