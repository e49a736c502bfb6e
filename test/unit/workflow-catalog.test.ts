import { describe, expect, it } from 'vitest';
import { allCommands, workflowCatalog } from '../../src/catalog.ts';
import { Registry } from '../../src/core/registry.ts';
import type { WorkflowSettings } from '../../src/services/workflows/types.ts';

/**
 * Adding a workflow is its file and one line in src/catalog.ts. That one line must be enough: the
 * command reaches the registry and the workflow the engine, and the workflow continues through its
 * own command. Every name here comes from the catalog itself; there is no second list to keep.
 */
describe('the workflow catalog', () => {
  const settings: WorkflowSettings = {
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
  };
  const registry = new Registry(allCommands);
  const entries = workflowCatalog.map((e) => ({ def: e.workflow(settings), command: e.command }));

  it('puts every workflow command in the registry, once, as an action', () => {
    const names = registry.commands.map((c) => c.name);
    for (const e of entries) {
      expect(names.filter((n) => n === e.command.name)).toHaveLength(1);
      expect(registry.get(e.command.name)).toBe(e.command);
      expect(e.command.kind).toBe('action');
    }
  });

  it('has unique workflow names, each continued by the command that starts it', () => {
    expect(new Set(entries.map((e) => e.def.name)).size).toBe(entries.length);
    for (const e of entries) expect(e.def.command).toBe(e.command.name);
  });

  it('lists help last, and no command twice', () => {
    expect(registry.commands.at(-1)?.name).toBe('help');
    expect(new Set(registry.commands.map((c) => c.name)).size).toBe(registry.commands.length);
  });
});
