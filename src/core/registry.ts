import type { CommandShape } from './command.ts';
import { editDistance } from './parse.ts';
import { roleAtLeast, type Role } from './roles.ts';

// Commands differ in their input type; the registry holds them existentially.
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every input type
export type RegisteredCommand = CommandShape<any>;

/**
 * The sub-commands of /autorisen by name and alias; built once from commands/index.ts. It reads only
 * what the core knows of a command (names, role); `C` is what it hands back: whole commands
 * (src/ports/command.ts's `CommandRegistry`) where they run.
 */
export class Registry<C extends RegisteredCommand = RegisteredCommand> {
  private readonly byName = new Map<string, C>();
  readonly commands: readonly C[];

  constructor(commands: readonly C[]) {
    for (const c of commands) {
      for (const name of [c.name, ...(c.aliases ?? [])]) {
        const existing = this.byName.get(name);
        if (existing) throw new Error(`Command name "${name}" is used by both "${existing.name}" and "${c.name}"`);
        this.byName.set(name, c);
      }
    }
    this.commands = commands;
  }

  get(name: string): C | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /**
   * The command named by the first words of a command line: two-word names ("flag on") win over
   * one-word ones, so a family can give each verb its own permission and approval rule.
   */
  resolve(words: readonly string[]): { command: C; consumed: number } | undefined {
    const [first, second] = words.map((w) => w.toLowerCase());
    if (first === undefined) return undefined;
    const two = second !== undefined ? this.byName.get(`${first} ${second}`) : undefined;
    if (two) return { command: two, consumed: 2 };
    const one = this.byName.get(first);
    return one ? { command: one, consumed: 1 } : undefined;
  }

  /** The commands of a family ("flag" → flag status, flag on, flag off). */
  family(word: string): C[] {
    const prefix = `${word.toLowerCase()} `;
    return this.commands.filter((c) => c.name.startsWith(prefix));
  }

  /** The closest command name to the start of a command line, if near enough to be a typo. */
  nearest(words: readonly string[] | string): string | undefined {
    const list = typeof words === 'string' ? [words] : words;
    let best: { name: string; d: number; len: number } | undefined;
    for (const key of this.byName.keys()) {
      const typed = list.slice(0, key.split(' ').length).join(' ').toLowerCase();
      const d = editDistance(typed, key);
      if (!best || d < best.d) best = { name: key, d, len: typed.length };
    }
    return best && best.d <= Math.max(2, Math.floor(best.len / 3)) ? best.name : undefined;
  }

  /** Commands the role may run, for generated help. */
  visibleTo(role: Role): C[] {
    return this.commands.filter((c) => roleAtLeast(role, c.permission));
  }
}
