import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The relative imports between the project's own modules (value and type imports alike, static and
 * dynamic), as a graph keyed by path relative to `root`. Type-only cycles matter too: they are how
 * layers end up owning each other's types (core importing from config and ports).
 */
export function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = dirs.flatMap((d) => walk(join(root, d))).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'));
  const known = new Set(files.map((f) => relative(root, f)));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    // `import … from '…'`, `export … from '…'`, `import '…'`, `import('…')`, `import type … from '…'`.
    const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;
    for (const m of text.matchAll(re)) {
      const target = relative(root, resolve(dirname(file), m[2]!));
      if (known.has(target)) targets.add(target);
    }
    graph.set(relative(root, file), [...targets].sort());
  }
  return graph;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each shown as a closed path
 * `a.ts → b.ts → a.ts` through the component, shortest first, so a report lists all of them at once.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const comps: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) comps.push(comp);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return comps.map((comp) => shortestCycle(graph, comp)).sort((a, b) => a.length - b.length);
}

/** The shortest closed path inside one component, starting at its first file in sort order. */
function shortestCycle(graph: Map<string, string[]>, comp: string[]): string[] {
  const inComp = new Set(comp);
  const start = [...comp].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
