import type { Command } from './command.ts';
import { editDistance } from './parse.ts';
import { roleAtLeast, type Role } from './roles.ts';

// Commands differ in their input type; the registry holds them existentially.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = Command<any>;

/** The sub-commands of /autorisen by name and alias; built once from commands/index.ts. */
export class Registry {
  private readonly byName = new Map<string, AnyCommand>();
  readonly commands: readonly AnyCommand[];

  constructor(commands: readonly AnyCommand[]) {
    for (const c of commands) {
      for (const name of [c.name, ...(c.aliases ?? [])]) {
        const existing = this.byName.get(name);
        if (existing) throw new Error(`Command name "${name}" is used by both "${existing.name}" and "${c.name}"`);
        this.byName.set(name, c);
      }
    }
    this.commands = commands;
  }

  get(name: string): AnyCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The closest command name, if one is near enough to be a typo. */
  nearest(name: string): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const key of this.byName.keys()) {
      const d = editDistance(name.toLowerCase(), key);
      if (!best || d < best.d) best = { name: key, d };
    }
    return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
  }

  /** Commands the role may run, for generated help. */
  visibleTo(role: Role): AnyCommand[] {
    return this.commands.filter((c) => roleAtLeast(role, c.permission));
  }
}
