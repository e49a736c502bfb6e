/** Where OpenAPI documents come from: a file, an http(s) URL, or `github:owner/repo@ref:path`. */
export interface LoadedSpec {
  /** What the user gave, for messages ("base.json", "https://…", "github:o/r@main:openapi.json"). */
  label: string;
  /** The decoded document (JSON or YAML). */
  document: unknown;
  /** sha256 of the raw text: the cache key of a diff. */
  sha256: string;
}

/** Loads spec documents; throws AppError spec_invalid / spec_unreachable / spec_too_large / spec_timeout / github_*. */
export interface SpecSourcePort {
  load(ref: string): Promise<LoadedSpec>;
}
