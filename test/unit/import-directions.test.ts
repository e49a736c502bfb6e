import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/built-package.ts';
import { importGraph } from '../support/import-graph.ts';

/**
 * Which directory may import which (type imports included; test/support/import-graph.ts):
 * - commands/ imports only src/core, src/ports and src/errors.ts: everything else it touches comes
 *   through the context (workflows, probes, plans, the checklist are ports on it);
 * - src/workflows/ never imports commands/ (a workflow's command lives in its workflow file or in
 *   commands/; src/catalog.ts composes the two);
 * - src/ports/ imports nothing outside src/ports, src/core and src/errors.ts (interfaces over the
 *   core's domain types);
 * - src/core/ never imports src/ports/: the direction is ports → core (the core owns the domain
 *   types the ports speak; the command context, being the bag of ports, is src/ports/command.ts);
 * - src/services/ never imports src/workflows/: workflows are step lists built on the services (the
 *   engine, the deploy reads); a read both need lives in the services (services/deploys/).
 */
const graph = importGraph(ROOT, ['src', 'commands']);
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
const under = (dir: string) => (path: string) => path.startsWith(dir);
const bad = (from: (p: string) => boolean, allowed: (p: string) => boolean) =>
  edges.filter((e) => from(e.from) && !allowed(e.to)).map((e) => `${e.from} → ${e.to}`);

describe('import directions', () => {
  it('commands import only the core, the ports and the error type', () => {
    const ok = (p: string) =>
      under('commands/')(p) || under('src/core/')(p) || under('src/ports/')(p) || p === 'src/errors.ts';
    expect(bad(under('commands/'), ok)).toEqual([]);
  });

  it('workflows never import commands', () => {
    expect(bad(under('src/workflows/'), (p) => !under('commands/')(p))).toEqual([]);
  });

  it('the ports import only the core, each other and the error type', () => {
    const pure = (p: string) => under('src/core/')(p) || under('src/ports/')(p) || p === 'src/errors.ts';
    expect(bad(under('src/ports/'), pure)).toEqual([]);
  });

  it('the core never imports a port (ports → core is the direction)', () => {
    expect(bad(under('src/core/'), (p) => !under('src/ports/')(p))).toEqual([]);
  });

  it('the services never import the workflows (workflows → services is the direction)', () => {
    expect(bad(under('src/services/'), (p) => !under('src/workflows/')(p))).toEqual([]);
  });
});
