import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { workflowCatalog } from '../../src/workflows/index.ts';

/**
 * Issue 11: adding a workflow is four files — its file, its command, one line in
 * src/workflows/index.ts, its test. That one line must be enough: the command reaches the command
 * list and the workflow the engine, and the workflow continues through its own command.
 */
describe('the workflow catalog', () => {
  const settings = {
    release: {
      staging: 'staging',
      production: 'production',
      stagingBakeMinutes: 1,
      productionBakeMinutes: 1,
      specPath: 'openapi.json',
      tasks: [],
    },
    namespace: '/api/autorisen/',
    tasks: {},
  } as never;

  it('puts every workflow command in the command list, once', () => {
    const names = commands.map((c) => c.name);
    for (const e of workflowCatalog) expect(names.filter((n) => n === e.command.name)).toHaveLength(1);
  });

  it('has unique workflow names, each continued by the command that starts it', () => {
    const defs = workflowCatalog.map((e) => ({ def: e.workflow(settings), command: e.command.name }));
    expect(new Set(defs.map((d) => d.def.name)).size).toBe(defs.length);
    for (const d of defs) expect(d.def.command).toBe(d.command);
    expect(defs.map((d) => d.def.name).sort()).toEqual(['deploy', 'release', 'rollback', 'task']);
  });
});
