/** SpecSourcePort: files, http(s) URLs (size cap, timeout) and GitHub files through the GitHubPort. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../errors.ts';
import type { GitHubPort } from '../../ports/github.ts';
import type { LoadedSpec, SpecSourcePort } from '../../ports/spec-source.ts';
import { parseSpecText } from './load.ts';

/** Largest document we read: GitHub's full spec is ~13 MB, so 20 MiB leaves room without risking memory. */
export const MAX_SPEC_BYTES = 20 * 1024 * 1024;
/** A live /openapi.json answers in well under a second; 15 s covers a cold Heroku dyno (boot ≤ 10 s). */
export const FETCH_TIMEOUT_MS = 15_000;

export interface SpecSourceOptions {
  github?: GitHubPort;
  maxBytes?: number;
  timeoutMs?: number;
  /** Files are labelled relative to this directory (the CLI's working directory, the repo in CI). */
  cwd?: string;
}

const GITHUB_REF = /^github:([\w.-]+)\/([\w.-]+)@([^:]+):(.+)$/;

/** Build a SpecSourcePort. */
export function createSpecSource(opts: SpecSourceOptions = {}): SpecSourcePort {
  const maxBytes = opts.maxBytes ?? MAX_SPEC_BYTES;
  const timeoutMs = opts.timeoutMs ?? FETCH_TIMEOUT_MS;
  const finish = (label: string, text: string): LoadedSpec => ({
    label,
    document: parseSpecText(text, label),
    sha256: createHash('sha256').update(text).digest('hex'),
  });
  return {
    async load(ref) {
      if (/^https?:\/\//i.test(ref)) return finish(ref, await fetchText(ref, maxBytes, timeoutMs));
      if (ref.startsWith('github:')) {
        const m = GITHUB_REF.exec(ref);
        if (!m)
          throw new AppError(
            'usage',
            `"${ref}" is not a GitHub reference; use github:owner/repo@ref:path/to/openapi.json.`,
          );
        if (!opts.github)
          throw new AppError(
            'config_invalid',
            'GitHub references need a GitHub token: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise).',
          );
        const text = await opts.github.getFile({ owner: m[1]!, repo: m[2]! }, m[3]!, m[4]!);
        if (Buffer.byteLength(text) > maxBytes) throw tooLarge(ref, maxBytes);
        return finish(ref, text);
      }
      return finish(fileLabel(ref, opts.cwd ?? process.cwd()), await readLocal(ref, maxBytes));
    },
  };
}

/**
 * A short name for a local file: relative to the working directory when it is inside it, else its
 * file name. A CI runner passes absolute paths (/home/runner/work/app/app/openapi.json) that would
 * otherwise fill the PR comment's title.
 */
export function fileLabel(path: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : basename(path);
}

function tooLarge(label: string, maxBytes: number): AppError {
  return new AppError(
    'spec_too_large',
    `${label} is larger than ${Math.round(maxBytes / 1048576)} MiB; refusing to read it.`,
  );
}

async function readLocal(path: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AppError('spec_invalid', `${path} is not a file.`);
    if (info.size > maxBytes) throw tooLarge(path, maxBytes);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'spec_unreachable',
      `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
      { cause: err },
    );
  }
}

async function fetchText(url: string, maxBytes: number, timeoutMs: number): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
  } catch (err) {
    if (signal.aborted)
      throw new AppError('spec_timeout', `${url} did not answer within ${timeoutMs / 1000} s.`, { cause: err });
    throw new AppError(
      'spec_unreachable',
      `Cannot reach ${url} (${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}).`,
      { cause: err },
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AppError(
      'spec_unreachable',
      `${url} answered HTTP ${res.status}${res.status === 404 ? ' (not found: check the URL)' : ''}.`,
    );
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  // Count bytes as they stream: a server may omit or lie about content-length.
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body ?? []) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw tooLarge(url, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (signal.aborted)
      throw new AppError('spec_timeout', `${url} did not finish sending within ${timeoutMs / 1000} s.`, { cause: err });
    throw new AppError('spec_unreachable', `Reading ${url} failed (${(err as Error).message}).`, { cause: err });
  }
  return Buffer.concat(chunks).toString('utf8');
}
