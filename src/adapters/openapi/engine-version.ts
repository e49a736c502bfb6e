/** The diff engine's version, for the result cache key. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('./', import.meta.url));

/**
 * A hash of this directory's source files and the installed openapi-diff version: any change to
 * the engine or the cross-check makes a new version, so a cached result is never served from older
 * code (a hand-bumped constant is easy to forget).
 */
export function diffEngineVersion(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(DIR)
    .filter((f) => /\.(ts|js|mjs)$/.test(f))
    .sort())
    hash.update(file).update(readFileSync(DIR + file));
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('openapi-diff/package.json')), 'utf8')) as {
      version?: unknown;
    };
    hash.update(`openapi-diff@${String(pkg.version)}`);
  } catch {
    hash.update('openapi-diff@unknown');
  }
  return hash.digest('hex').slice(0, 16);
}
