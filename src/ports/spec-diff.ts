/** The OpenAPI comparison engine behind `/autorisen diff`, the CLI and PR comments. */
export type Severity = 'breaking' | 'warning' | 'non-breaking';

/** One change: the public JSON contract of `autorisen diff --format json`. */
export interface SpecChange {
  severity: Severity;
  /** Stable rule id, e.g. "request-parameter-became-required". */
  rule: string;
  /** "GET /api/items/{id}", or "" for document-level changes. */
  operation: string;
  /** Where in the operation, e.g. "query.limit" or "response 200 body.items[].name". */
  location: string;
  message: string;
  /** Other operations the same (model) change affects, when grouped. */
  alsoAffects?: string[];
  /** Set when an ignore-file entry accepted this change. */
  ignored?: { reason: string; owner: string; expires: string };
}

export interface DiffSummary {
  breaking: number;
  warning: number;
  nonBreaking: number;
}

export interface DiffReport {
  summary: DiffSummary;
  changes: SpecChange[];
  /** Paths added or changed outside the rollout namespace. */
  namespaceFindings?: SpecChange[];
  /** What the reader should know about how the report was made ("cross-check skipped: timed out after 5 s"). */
  notes?: string[];
  /** Set when the report came from the result cache: when it was first computed (ms since epoch). */
  cachedAt?: number;
}

export interface DiffOptions {
  /** Rollout namespace prefix, default "/api/autorisen/". */
  namespace?: string;
  /** Also run the bounded openapi-diff cross-check on the changed operations (Slack command, CLI --cross-check). */
  crossCheck?: boolean;
  /** Rule book: ours (default) or oasdiff's levels (docs/DIFF.md has the table of differences). */
  profile?: 'autorisen' | 'oasdiff';
  /** Per-rule severity overrides (the diff config file), applied after the profile. */
  overrides?: Record<string, Severity>;
  /** Minimum days between deprecation and sunset per stability level (oasdiff's --deprecation-days-beta/stable). */
  deprecationDays?: { beta: number; stable: number };
  /** Today as YYYY-MM-DD (sunset dates are compared with it); injected so results do not depend on the wall clock. */
  today?: string;
}

export interface SpecDiffPort {
  /** Both inputs are parsed documents (JSON/YAML already decoded). Throws AppError spec_invalid. */
  diff(base: unknown, revision: unknown, options?: DiffOptions): Promise<DiffReport>;
}
