/** Shared helpers for the diff engine's unit tests: the FastAPI fixture and a mutate-and-diff call. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import type { DiffReport, SpecChange } from '../../src/ports/spec-diff.ts';

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely
export type Doc = any;

const FIXTURES = join(import.meta.dirname, '../fixtures/openapi');

/** A fresh copy of the FastAPI-shaped 3.1 base document. */
export function fastapiBase(): Doc {
  return JSON.parse(readFileSync(join(FIXTURES, 'fastapi-base.json'), 'utf8'));
}

/** Diff the base against a copy edited by `edit`. */
export function diffEdited(edit: (doc: Doc) => void, base: Doc = fastapiBase(), namespace?: string): DiffReport {
  const rev = structuredClone(base);
  edit(rev);
  return diffDocuments(base, rev, namespace ? { namespace } : {});
}

/** The changes with a given rule id. */
export function withRule(report: DiffReport, rule: string): SpecChange[] {
  return report.changes.filter((c) => c.rule === rule);
}

/** "rule@severity" of every change, sorted (compact assertions). */
export function verdicts(report: DiffReport): string[] {
  return report.changes.map((c) => `${c.rule}@${c.severity}`).sort();
}
