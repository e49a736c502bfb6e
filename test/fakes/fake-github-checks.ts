import type { FakeRepo } from './fake-github-repo.ts';
import type { Out } from './fake-github-writes.ts';

/**
 * Check runs and commit statuses of the fake GitHub API: GET /repos/o/r/commits/{ref}/check-runs
 * (shape of test/fixtures/github/rest_checks_create.response.completed.json, listed as
 * `{total_count, check_runs}`) and GET …/commits/{ref}/status (the combined status: `state` is
 * "pending" when there are no statuses, as GitHub answers).
 */
export interface FakeCheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
}
export interface FakeStatus {
  context: string;
  state: 'success' | 'failure' | 'error' | 'pending';
}

const checks = new WeakMap<FakeRepo, Map<string, { runs: FakeCheckRun[]; statuses: FakeStatus[] }>>();

/** Set what CI reports for a commit sha. */
export function setChecks(repo: FakeRepo, sha: string, runs: FakeCheckRun[], statuses: FakeStatus[] = []): void {
  const m = checks.get(repo) ?? new Map();
  m.set(sha, { runs, statuses });
  checks.set(repo, m);
}

/** Answer a check-runs or status read for the commit `sha`. */
export function checksRoute(repo: FakeRepo, sha: string, what: 'check-runs' | 'status'): Out {
  const c = checks.get(repo)?.get(sha) ?? { runs: [], statuses: [] };
  if (what === 'check-runs')
    return {
      json: {
        total_count: c.runs.length,
        check_runs: c.runs.map((r, i) => ({
          id: i + 1,
          head_sha: sha,
          html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${i + 1}`,
          details_url: 'https://example.com',
          status: r.status,
          conclusion: r.conclusion,
          name: r.name,
          started_at: '2026-11-20T10:00:00Z',
          completed_at: r.status === 'completed' ? '2026-11-20T10:05:00Z' : null,
          check_suite: { id: 5 },
        })),
      },
    };
  const states = c.statuses.map((s) => s.state);
  const state =
    states.length === 0 || states.includes('pending')
      ? 'pending'
      : states.some((s) => s === 'failure' || s === 'error')
        ? 'failure'
        : 'success';
  return {
    json: {
      state,
      sha,
      total_count: c.statuses.length,
      statuses: c.statuses.map((s, i) => ({
        id: i + 1,
        state: s.state,
        context: s.context,
        description: `${s.context} ${s.state}`,
        target_url: `https://ci.example.com/${i + 1}`,
        created_at: '2026-11-20T10:00:00Z',
        updated_at: '2026-11-20T10:05:00Z',
      })),
    },
  };
}
