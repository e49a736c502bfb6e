#!/usr/bin/env node
// @ts-check
/**
 * `npm test [-- <vitest args>]`: Biome, then the type-check (`tsc --noEmit`) beside the test run
 * (`vitest run`). The tests mostly wait on sockets, databases and timers, so tsc's ~20 s of CPU fits
 * beside them instead of before them on CI's 2 cores (docs/BENCHMARKS.md, "Test suite"). tsc's
 * output is printed after the tests' so the two never interleave. Exits non-zero if any of the
 * three failed. Plain JavaScript so that it runs before anything is compiled.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/**
 * A package's command-line script, from its package.json `bin` (vitest's exports hide the file).
 * @param {string} pkg
 * @param {string} name
 */
function binOf(pkg, name) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifest);
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
}
const bin = {
  biome: binOf('@biomejs/biome', 'biome'),
  tsc: binOf('typescript', 'tsc'),
  vitest: binOf('vitest', 'vitest'),
};

/**
 * Run `node <script> <args>`; resolves with its exit code and, when `capture`, its output.
 * @param {string} script
 * @param {string[]} args
 * @param {boolean} capture
 * @returns {Promise<{ code: number; output: string }>}
 */
function run(script, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    child.on('error', (err) => resolve({ code: 1, output: `${output}${err.message}\n` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const lint = await run(bin.biome, ['check', '.'], false);
const typecheck = run(bin.tsc, ['--noEmit', '-p', '.'], true);
const tests = await run(bin.vitest, ['run', ...process.argv.slice(2)], false);
const types = await typecheck;
process.stdout.write(types.output);
process.stdout.write(`tsc --noEmit: ${types.code === 0 ? 'no errors' : 'failed'}\n`);
process.exit([lint.code, types.code, tests.code].find((c) => c !== 0) ?? 0);
