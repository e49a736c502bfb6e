import { createHash } from 'node:crypto';

/**
 * The in-memory git model behind fake-github-api.ts: commits with full trees, branches, tags,
 * deployments and issue comments. Kept apart from the HTTP layer so the server file stays small.
 */
export interface FakeAuthor {
  name: string;
  email: string;
  login: string;
}

export interface FakeCommit {
  sha: string;
  message: string;
  author: FakeAuthor;
  date: string;
  parents: string[];
  /** Full file tree at this commit: path → content. */
  tree: Map<string, string>;
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface FakeDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  payload: unknown;
  /** The raw request body, so tests can check auto_merge / required_contexts. */
  requestBody: Record<string, unknown>;
  createdAt: string;
  statuses: FakeDeploymentStatus[];
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FileChange {
  filename: string;
  status: 'added' | 'modified' | 'removed';
  blobSha: string;
  additions: number;
  deletions: number;
}

/** Seed input for one commit; `files` maps path → new content, or null to delete. */
export interface SeedCommit {
  message: string;
  branch?: string;
  /** Where a new branch starts (a ref); default: the default branch's head. */
  from?: string;
  author?: Partial<FakeAuthor>;
  date?: string;
  files?: Record<string, string | null>;
}

const DEFAULT_AUTHOR: FakeAuthor = { name: 'Monalisa Octocat', email: 'mona@github.com', login: 'octocat' };
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** git's blob id, so file shas look and behave like the real thing. */
export function blobSha(content: string): string {
  const buf = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length;
}

/** One seeded repository. */
export class FakeRepo {
  readonly commits = new Map<string, FakeCommit>();
  readonly branches = new Map<string, string>();
  readonly tags = new Map<string, string>();
  readonly deployments: FakeDeployment[] = [];
  readonly comments: FakeComment[] = [];
  private counter = 0;

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch: string,
  ) {}

  /** Add a commit on top of `branch` (default branch by default), move the branch, return the sha. */
  commit(seed: SeedCommit): string {
    const branch = seed.branch ?? this.defaultBranch;
    const parentSha =
      this.branches.get(branch) ?? (seed.from ? this.resolve(seed.from)?.sha : this.branches.get(this.defaultBranch));
    const parent = parentSha ? this.commits.get(parentSha) : undefined;
    const tree = new Map(parent?.tree ?? []);
    for (const [path, content] of Object.entries(seed.files ?? {})) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    this.counter += 1;
    const date = seed.date ?? new Date(EPOCH + this.counter * 60_000).toISOString().replace('.000Z', 'Z');
    const author = { ...DEFAULT_AUTHOR, ...seed.author };
    const sha = createHash('sha1')
      .update(`${this.owner}/${this.name}\0${parentSha ?? ''}\0${seed.message}\0${date}\0${this.counter}`)
      .digest('hex');
    this.commits.set(sha, { sha, message: seed.message, author, date, parents: parentSha ? [parentSha] : [], tree });
    this.branches.set(branch, sha);
    return sha;
  }

  /** Branch, tag, full sha or unique sha prefix (≥ 7) → commit. */
  resolve(ref: string): FakeCommit | undefined {
    const r = ref.replace(/^refs\//, '').replace(/^(heads|tags)\//, '');
    const sha = this.branches.get(r) ?? this.tags.get(r);
    if (sha) return this.commits.get(sha);
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const hits = [...this.commits.keys()].filter((s) => s.startsWith(ref));
      if (hits.length === 1) return this.commits.get(hits[0]!);
    }
    return undefined;
  }

  /** Every ancestor of `sha` including itself, oldest first. */
  ancestry(sha: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (s: string): void => {
      if (seen.has(s)) return;
      seen.add(s);
      for (const p of this.commits.get(s)?.parents ?? []) visit(p);
      out.push(s);
    };
    visit(sha);
    return out;
  }

  /** Changes from tree `a` to tree `b`, sorted by path. */
  diff(a: Map<string, string> | undefined, b: Map<string, string>): FileChange[] {
    const before = a ?? new Map<string, string>();
    const paths = [...new Set([...before.keys(), ...b.keys()])].sort();
    const out: FileChange[] = [];
    for (const p of paths) {
      const x = before.get(p);
      const y = b.get(p);
      if (x === y) continue;
      if (x === undefined)
        out.push({ filename: p, status: 'added', blobSha: blobSha(y!), additions: lineCount(y!), deletions: 0 });
      else if (y === undefined)
        out.push({ filename: p, status: 'removed', blobSha: blobSha(x), additions: 0, deletions: lineCount(x) });
      else
        out.push({
          filename: p,
          status: 'modified',
          blobSha: blobSha(y),
          additions: lineCount(y),
          deletions: lineCount(x),
        });
    }
    return out;
  }

  /** Three-dot comparison as GitHub computes it: commits reachable from head but not base, files since the merge base. */
  compare(
    base: FakeCommit,
    head: FakeCommit,
  ): {
    status: string;
    aheadBy: number;
    behindBy: number;
    commits: FakeCommit[];
    files: FileChange[];
    mergeBase: FakeCommit | undefined;
  } {
    const baseSet = new Set(this.ancestry(base.sha));
    const headList = this.ancestry(head.sha);
    const headSet = new Set(headList);
    const ahead = headList.filter((s) => !baseSet.has(s));
    const behind = [...baseSet].filter((s) => !headSet.has(s));
    const mergeBaseSha = [...headList].reverse().find((s) => baseSet.has(s));
    const mergeBase = mergeBaseSha ? this.commits.get(mergeBaseSha) : undefined;
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged';
    return {
      status,
      aheadBy: ahead.length,
      behindBy: behind.length,
      commits: ahead.map((s) => this.commits.get(s)!),
      files: this.diff(mergeBase?.tree, head.tree),
      mergeBase,
    };
  }
}
