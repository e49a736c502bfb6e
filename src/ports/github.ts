/** GitHub in domain words; adapter maps errors to github_* AppError codes. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitCommit {
  sha: string;
  message: string;
  author: string;
  date: string;
  url: string;
}

export interface Comparison {
  status: 'ahead' | 'behind' | 'identical' | 'diverged' | string;
  aheadBy: number;
  behindBy: number;
  commits: GitCommit[];
  files: { filename: string; status: string }[];
  url: string;
}

/** CI results for one commit: check runs (Checks API) and commit statuses (Statuses API). */
export interface CommitChecks {
  checkRuns: { name: string; status: string; conclusion: string | null; url: string | null }[];
  statuses: { context: string; state: string; url: string | null }[];
}

export interface GitHubPort {
  /** Check runs and commit statuses of a commit (GET …/commits/{ref}/check-runs and …/status). */
  commitChecks(repo: RepoRef, sha: string): Promise<CommitChecks>;
  /** Branch, tag or sha → the commit it names. */
  getCommit(repo: RepoRef, ref: string): Promise<GitCommit>;
  compare(repo: RepoRef, base: string, head: string): Promise<Comparison>;
  /** A short-lived tarball link (the 302 Location), not the tarball itself. */
  tarballUrl(repo: RepoRef, sha: string): Promise<string>;
  /** A file's text at a ref. */
  getFile(repo: RepoRef, ref: string, path: string): Promise<string>;
  createDeployment(
    repo: RepoRef,
    input: { ref: string; environment: string; description: string; production: boolean },
  ): Promise<{ id: number }>;
  createDeploymentStatus(
    repo: RepoRef,
    deploymentId: number,
    input: {
      state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive' | 'queued' | 'pending';
      description?: string;
      logUrl?: string;
      environmentUrl?: string;
    },
  ): Promise<void>;
  /** Create or update the one comment on a PR/issue that contains `marker`. Returns the comment id. */
  upsertIssueComment(
    repo: RepoRef,
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<{ id: number; created: boolean }>;
}
