import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, Message } from '../core/message.ts';
import { isRole, type Role } from '../core/roles.ts';
import type { ConfirmPrompt, Dispatch, Dispatcher, Responder } from '../core/transport.ts';
import type { ChatPort, MessageRef } from '../ports/chat.ts';
import type { Ids } from '../ports/clock.ts';
import { renderText } from './render-text.ts';
import { UpdatedMessages } from './updated-messages.ts';

/** The channel the shell pretends to be in. */
export const SHELL_CHANNEL = 'CSHELL';

interface Choice {
  button: Button;
  ts: string | null;
}

/** A command still running after the prompt came back; `asking` while its choices wait for a click. */
interface Running {
  done: Promise<void>;
  /** Choices it printed start at this index (a click on one of them answers it). */
  firstChoice: number;
  asking: boolean;
}

/** How long a command that printed choices must stay quiet before the prompt comes back. */
const ASKED_QUIET_MS = 150;

/**
 * A local REPL transport (like Hubot's Shell adapter): type `/autorisen …`, pick numbered choices
 * for buttons, switch user with `/as`. Commands piped on stdin run one per line and the shell exits
 * at end of input, so it can be scripted. A command runs to its end before the next line is read,
 * unless it waits for someone's answer (a release at its approval gate): once it has printed
 * choices and gone quiet, the prompt comes back and it carries on in the background.
 */
export class Shell {
  private readonly choices: Choice[] = [];
  /** Shell-only commands (`/drain-replay`): name → run(args) → text to print. */
  private readonly extras = new Map<string, (args: string) => Promise<string>>();
  private readonly running = new Set<Running>();
  /** What each message posted here last showed, so an update prints only what changed. */
  private readonly updates = new UpdatedMessages();
  private userId: string;
  /** A typed confirmation waiting for the next line (break-glass: the environment's name). */
  private confirming: { prompt: ConfirmPrompt; userId: string } | null = null;
  private nextTs = 1;
  private lastOutputAt = 0;

  constructor(
    private readonly io: { input: Readable; output: Writable; interactive: boolean },
    user: { userId: string; role: Role },
    private readonly roles: Map<string, Role>,
    private readonly ids: Ids,
    /** Runs waiting at the end of input resume at the next start (false: the database is this run's only). */
    private readonly runsOutlive = true,
  ) {
    this.userId = user.userId;
    roles.set(user.userId, user.role);
  }

  /** A ChatPort that prints to the terminal (approval messages, announcements, progress). */
  readonly chat: ChatPort = {
    post: async (channel, message, opts) => {
      const ts = `${this.nextTs++}.000`;
      this.updates.change(`${channel} ${ts}`, message);
      const where = opts?.threadTs ? `#${channel} thread ${opts.threadTs}` : `#${channel} message ${ts}`;
      this.print(`[${where}]`, message, ts);
      return { channel, ts };
    },
    update: async (ref: MessageRef, message) => {
      const change = this.updates.change(`${ref.channel} ${ref.ts}`, message);
      const prefix = `[#${ref.channel} message ${ref.ts} updated]`;
      if (change === 'whole') this.print(prefix, message, ref.ts);
      else if (change !== null) this.write(`${prefix} ${change}\n`);
    },
    ephemeral: async (_channel, userId, message) => {
      this.print(`[only @${userId}]`, message, null);
    },
  };

  /** Add a shell-only command such as `/drain-replay <file>` (the sandbox's helpers, never in Slack). */
  addCommand(name: string, run: (args: string) => Promise<string>): void {
    this.extras.set(name, run);
  }

  /** Read lines until end of input. */
  async run(dispatcher: Dispatcher): Promise<void> {
    this.write(
      `autorisen shell: you are @${this.userId} (${this.roles.get(this.userId)}). Type /autorisen help, a number to press a button, /as <user> [role] to switch user, /quit to leave.\n`,
    );
    const rl = createInterface({ input: this.io.input, terminal: false });
    const prompt = () => this.io.interactive && this.write(`${this.userId}> `);
    prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line !== '' && !line.startsWith('#')) await this.handle(line, dispatcher);
      prompt();
    }
    rl.close();
    // Commands still at work finish (or ask again); those waiting for an answer stop with the process,
    // and a workflow among them resumes where it was at the next start.
    await Promise.all([...this.running].filter((r) => !r.asking).map((r) => this.untilDoneOrAsking(r)));
    const waiting = [...this.running].filter((r) => r.asking).length;
    if (waiting > 0)
      this.write(
        this.runsOutlive
          ? `${waiting} command(s) still wait for an answer; a workflow resumes where it was at the next start.\n`
          : `${waiting} command(s) still wait for an answer; they end with this run, whose database is its own (set SQLITE_PATH to keep one).\n`,
      );
  }

  private async handle(line: string, dispatcher: Dispatcher): Promise<void> {
    if (this.confirming) return this.answer(line, this.confirming, dispatcher);
    const as = line.match(/^\/as\s+(\S+)(?:\s+(\S+))?$/);
    if (!as && /^\/as(\s|$)/.test(line))
      return this.write(
        `Usage: /as <user> [role] — act as another user, e.g. /as U0OPS0002 operator to approve your own request; role is viewer, operator or admin. You are @${this.userId}.\n`,
      );
    if (as) {
      const [, user, role] = as;
      if (role && !isRole(role)) return this.write(`Unknown role "${role}": use viewer, operator or admin.\n`);
      this.userId = user!;
      if (role && isRole(role)) this.roles.set(user!, role);
      return this.write(
        `You are now @${this.userId}${this.roles.has(this.userId) ? ` (${this.roles.get(this.userId)})` : ' (role from the config file)'}.\n`,
      );
    }
    const pick = line.match(/^(?:\/click\s+)?(\d+)$/);
    if (pick) {
      const choice = this.choices[Number(pick[1]) - 1];
      if (!choice) return this.write(`There is no choice ${pick[1]}.\n`);
      for (const r of this.running) if (Number(pick[1]) > r.firstChoice) r.asking = false;
      const dispatch = await dispatcher.action({
        actionId: choice.button.actionId,
        value: choice.button.value,
        userId: this.userId,
        channelId: SHELL_CHANNEL,
        messageTs: choice.ts,
        correlationId: this.ids.next(),
        responder: this.responder(choice.ts),
      });
      return this.finish(dispatch);
    }
    const extra = this.extras.get(line.split(/\s+/)[0]!);
    if (extra) return this.write(`${await extra(line.split(/\s+/).slice(1).join(' '))}\n`);
    const text = line.replace(/^\/autorisen\b\s*/, '');
    if (line.startsWith('/') && !line.startsWith('/autorisen'))
      return this.write(`Unknown shell command "${line.split(' ')[0]}". Commands start with /autorisen.\n`);
    const dispatch = await dispatcher.command({
      userId: this.userId,
      channelId: SHELL_CHANNEL,
      text,
      correlationId: this.ids.next(),
      responder: this.responder(null),
      confirm: async (prompt) => {
        this.confirming = { prompt, userId: this.userId };
        this.print('[only you]', { text: prompt.text }, null);
        this.write(`${prompt.label} (or /cancel)\n`);
      },
    });
    await this.finish(dispatch);
  }

  /** The line typed at a confirmation prompt, submitted as Slack submits a modal; a wrong answer asks again. */
  private async answer(
    line: string,
    c: { prompt: ConfirmPrompt; userId: string },
    dispatcher: Dispatcher,
  ): Promise<void> {
    this.confirming = null;
    if (line === '/cancel') return this.write('Cancelled; nothing was run.\n');
    const answer = await dispatcher.submit?.({
      callbackId: c.prompt.callbackId,
      privateMetadata: c.prompt.privateMetadata,
      userId: c.userId,
      values: { [c.prompt.blockId]: { [c.prompt.actionId]: line } },
      correlationId: this.ids.next(),
    });
    if (!answer) return this.write('Nothing here takes that answer; nothing was run.\n');
    if ('errors' in answer) {
      this.confirming = c;
      return this.write(`${Object.values(answer.errors).join(' ')}\n${c.prompt.label} (or /cancel)\n`);
    }
    await this.finish({ ack: null, done: answer.done });
  }

  private async finish(dispatch: Dispatch): Promise<void> {
    if (dispatch.ack) this.print('[only you]', dispatch.ack, null);
    const done = dispatch.done.catch((err: unknown) => this.write(`error: ${(err as Error).message}\n`));
    const r: Running = { done, firstChoice: this.choices.length, asking: false };
    this.running.add(r);
    void done.then(() => this.running.delete(r));
    await this.untilDoneOrAsking(r);
  }

  /** Resolve when the command ends, or when it has printed new choices and then gone quiet (it waits for a click). */
  private untilDoneOrAsking(r: Running): Promise<void> {
    const from = this.choices.length;
    return new Promise((resolve) => {
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      const timer = setInterval(() => {
        if (this.choices.length > from && Date.now() - this.lastOutputAt >= ASKED_QUIET_MS) {
          r.asking = true;
          stop();
        }
      }, 50);
      void r.done.then(stop);
    });
  }

  private responder(ts: string | null): Responder {
    return {
      reply: async (message) =>
        this.print(message.visibility === 'in_channel' ? `[#${SHELL_CHANNEL}]` : '[only you]', message, null),
      replaceOriginal: async (message) => this.print(`[#${SHELL_CHANNEL} message ${ts ?? '?'} replaced]`, message, ts),
    };
  }

  private print(prefix: string, message: Message, ts: string | null): void {
    const first = this.choices.length + 1;
    for (const button of message.buttons ?? []) this.choices.push({ button, ts });
    this.write(`${prefix} ${renderText(message, first)}\n`);
  }

  private write(text: string): void {
    this.lastOutputAt = Date.now();
    this.io.output.write(text);
  }
}
