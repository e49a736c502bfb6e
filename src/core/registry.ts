import type { Command } from './command.ts';
import { editDistance } from './parse.ts';
import { roleAtLeast, type Role } from './roles.ts';

// Commands differ in their input type; the registry holds them existentially.
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every input type
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

  /**
   * The command named by the first words of a command line: two-word names ("flag on") win over
   * one-word ones, so a family can give each verb its own permission and approval rule.
   */
  resolve(words: readonly string[]): { command: AnyCommand; consumed: number } | undefined {
    const [first, second] = words.map((w) => w.toLowerCase());
    if (first === undefined) return undefined;
    const two = second !== undefined ? this.byName.get(`${first} ${second}`) : undefined;
    if (two) return { command: two, consumed: 2 };
    const one = this.byName.get(first);
    return one ? { command: one, consumed: 1 } : undefined;
  }

  /** The commands of a family ("flag" → flag status, flag on, flag off). */
  family(word: string): AnyCommand[] {
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
  visibleTo(role: Role): AnyCommand[] {
    return this.commands.filter((c) => roleAtLeast(role, c.permission));
  }
}
