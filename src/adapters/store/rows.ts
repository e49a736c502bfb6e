import { AppError } from '../../errors.ts';

/** A row as both drivers return it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * Narrowing readers for row columns, so sub-stores map rows to domain types without casts. A
 * mismatch means the schema and the code disagree (a missing migration), which the message says.
 */
export const col = {
  str(row: Row, name: string): string {
    const v = row[name];
    if (typeof v !== 'string') throw mismatch(name, 'text', v);
    return v;
  },
  strOrNull(row: Row, name: string): string | null {
    const v = row[name];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') throw mismatch(name, 'text', v);
    return v;
  },
  num(row: Row, name: string): number {
    const v = row[name];
    if (typeof v !== 'number') throw mismatch(name, 'a number', v);
    return v;
  },
  numOrNull(row: Row, name: string): number | null {
    const v = row[name];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'number') throw mismatch(name, 'a number', v);
    return v;
  },
  /** A TEXT column holding JSON. */
  json(row: Row, name: string): unknown {
    const text = col.str(row, name);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new AppError(
        'store_failed',
        `Column ${name} holds text that is not JSON; the row was written by something else.`,
        { cause: err },
      );
    }
  },
};

/** Serialise a value for a JSON TEXT column (`undefined` becomes JSON null, never SQL NULL). */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function mismatch(name: string, expected: string, got: unknown): AppError {
  return new AppError(
    'store_failed',
    `Column ${name} should be ${expected} but is ${got === null ? 'null' : typeof got}; is a migration missing?`,
  );
}
