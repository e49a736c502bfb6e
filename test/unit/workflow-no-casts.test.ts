import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/built-package.ts';

/** Every `x as T`, `<T>x` and `x!` in a file (a const assertion, `as const`, is not a cast). */
function castsIn(path: string, text = readFileSync(path, 'utf8')): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    const isConst = (t: ts.TypeNode) => ts.isTypeReferenceNode(t) && t.typeName.getText(file) === 'const';
    if (
      (ts.isAsExpression(n) && !isConst(n.type)) ||
      (ts.isTypeAssertionExpression(n) && !isConst(n.type)) ||
      ts.isNonNullExpression(n)
    )
      found.push(
        `${relative(ROOT, path)}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${n.getText(file)}`,
      );
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

/**
 * Step outputs are typed and read by reference (issue 20), so a workflow needs no cast: the one
 * place persisted data meets its type is `outputOf` in src/core/workflow.ts. This keeps it so.
 */
describe('src/workflows', () => {
  it('has no type casts or non-null assertions', () => {
    expect(walk(join(ROOT, 'src/workflows')).flatMap((p) => castsIn(p))).toEqual([]);
  });

  it('nor has the engine that runs them (src/services/workflows)', () => {
    expect(walk(join(ROOT, 'src/services/workflows')).flatMap((p) => castsIn(p))).toEqual([]);
  });

  it('finds the casts it is shown, and lets `as const` be', () => {
    const snippet = 'const a = b as string;\nconst c = d!;\nconst e = <number>f;\nconst g = [1] as const;\n';
    expect(castsIn(join(ROOT, 'snippet.ts'), snippet)).toEqual([
      'snippet.ts:1 b as string',
      'snippet.ts:2 d!',
      'snippet.ts:3 <number>f',
    ]);
  });
});
