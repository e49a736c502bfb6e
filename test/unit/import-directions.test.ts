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
 *   core's domain types).
 * Between core and ports the direction is ports → core (the core owns the domain types the ports
 * speak); the core files that still need a port's type are listed below and may only shrink.
 */
const graph = importGraph(ROOT, ['src', 'commands']);
const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
const under = (dir: string) => (path: string) => path.startsWith(dir);
const bad = (from: (p: string) => boolean, allowed: (p: string) => boolean) =>
  edges.filter((e) => from(e.from) && !allowed(e.to)).map((e) => `${e.from} → ${e.to}`);

/** Core files that import a port's type: the command context (the ports bag), the logger, alert rows, the lock store. */
const CORE_USING_PORTS = [
  'src/core/command.ts',
  'src/core/env-locks.ts',
  'src/core/lazy-logger.ts',
  'src/core/alerts/messages.ts',
];

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

  it('ports → core is the direction; only the listed core files use a port type', () => {
    const coreToPorts = [
      ...new Set(edges.filter((e) => under('src/core/')(e.from) && under('src/ports/')(e.to)).map((e) => e.from)),
    ];
    expect(coreToPorts.filter((f) => !CORE_USING_PORTS.includes(f))).toEqual([]);
  });
});
