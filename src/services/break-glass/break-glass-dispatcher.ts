import { randomBytes } from 'node:crypto';
import {
  CONFIRM_BLOCK,
  CONFIRM_CALLBACK,
  CONFIRM_INPUT,
  CONFIRM_TTL_MS,
  confirmsEnvironment,
  breakGlassable,
  refuseBreakGlass,
  REVIEW_ACTION,
  wrongNameText,
  type BreakGlassAsk,
  isScheduledInput,
} from '../../core/break-glass.ts';
import type { Caller } from '../../core/command.ts';
import type { ActionCommand } from '../../ports/command.ts';
import { parseInput, splitCommand } from '../../core/command-line.ts';
import { lockedMessage } from '../../core/deploys.ts';
import { textMessage } from '../../core/message.ts';
import { needsApproval } from '../../core/policy.ts';
import type {
  ActionRequest,
  CommandRequest,
  ConfirmAnswer,
  ConfirmSubmission,
  Dispatch,
  Dispatcher,
} from '../../core/transport.ts';
import { logFailure } from '../../errors.ts';
import { audit } from '../audit.ts';
import { findEnvironment } from '../context.ts';
import { firstDelivery } from '../dispatch/slash-dedup.ts';
import { runConfirmed, type RunDeps } from './run.ts';
import { confirmPrompt, skipsText } from './texts.ts';

const DONE = Promise.resolve();
/** An answer that keeps the confirmation open with `text` under its input. */
const fail = (text: string): ConfirmAnswer => ({ errors: { [CONFIRM_BLOCK]: text } });

/** The dispatcher break-glass wraps: it runs everything else, and says who is asking. */
export interface InnerDispatcher extends Dispatcher {
  caller(userId: string, channelId: string): Promise<Caller>;
}

/** What it needs: what running a confirmed change needs, and the dispatcher it stands in front of. */
export interface BreakGlassDeps extends RunDeps {
  inner: InnerDispatcher;
}

/**
 * Break-glass (issue 23 §2) in front of the dispatcher: a command line with `--break-glass` on a
 * command that declares `breakGlass: true` is checked here (admins only, a reason, an environment
 * that needs a second person, not locked), stored as a pending row and confirmed by typing the
 * environment's name; everything else, and a dry run's plan, goes to the dispatcher unchanged.
 */
export class BreakGlassDispatcher implements Dispatcher {
  constructor(private readonly deps: BreakGlassDeps) {}

  async command(req: CommandRequest): Promise<Dispatch> {
    const split = splitCommand(this.deps.registry, req.text);
    const cmd = split.ok ? split.found?.command : undefined;
    if (!split.ok || !cmd || cmd.kind !== 'action' || !breakGlassable(cmd)) return this.deps.inner.command(req);
    const parsed = parseInput(cmd, split.tokens);
    if (!parsed.ok || 'help' in parsed || !parsed.breakGlass) return this.deps.inner.command(req);
    return this.ask(cmd, parsed.input, parsed.breakGlass, parsed.dryRun, req);
  }

  async action(req: ActionRequest): Promise<Dispatch> {
    if (req.actionId !== REVIEW_ACTION) return this.deps.inner.action(req);
    const caller = await this.deps.inner.caller(req.userId, req.channelId);
    const done = this.deps.reviews
      .acknowledge(req, caller)
      .then((msg) => req.responder.reply(msg))
      .catch((err: unknown) => {
        const e = logFailure(this.deps.log, err, 'break-glass review failed');
        return req.responder.reply(textMessage(`:x: ${e.userMessage}`));
      });
    return { ack: null, done };
  }

  /** The typed environment name: a mismatch is an error under the input and runs nothing; a match runs it once. */
  async submit(s: ConfirmSubmission): Promise<ConfirmAnswer> {
    if (s.callbackId !== CONFIRM_CALLBACK) return this.deps.inner.submit?.(s) ?? { done: DONE };
    try {
      return await this.confirmTyped(s);
    } catch (err) {
      // Keep the modal open with the reason: closing it silently would leave the admin guessing.
      const e = logFailure(this.deps.log, err, 'could not check a break-glass confirmation');
      return fail(`Could not check this confirmation (${e.userMessage}). Nothing was run; submit again in a moment.`);
    }
  }

  private async confirmTyped(s: ConfirmSubmission): Promise<ConfirmAnswer> {
    const { store, clock } = this.deps.ports;
    const now = clock.now();
    // Never trust the metadata alone: it only names the stored request, whose actor must be the submitter.
    const rec = /^[A-Za-z0-9_-]{16,64}$/.test(s.privateMetadata) ? await store.breakGlass.get(s.privateMetadata) : null;
    if (!rec || rec.actorId !== s.userId)
      return fail('This confirmation is not one of yours, or no longer exists. Nothing was run.');
    // Already confirmed (a double submit, a Slack retry, another instance): it runs once; this closes.
    if (rec.state !== 'pending') return { done: DONE };
    if (now >= rec.expiresAt) return fail('This confirmation expired. Nothing was run; run the command again.');
    const typed = s.values[CONFIRM_BLOCK]?.[CONFIRM_INPUT] ?? '';
    const base = {
      at: now,
      correlationId: s.correlationId,
      actorId: s.userId,
      channelId: rec.channelId,
      command: rec.command,
      args: rec.commandText,
      env: rec.env,
    };
    if (!confirmsEnvironment(typed, rec.env)) {
      await audit(store, this.deps.log, {
        ...base,
        action: 'break_glass',
        result: 'mismatch',
        detail: 'wrong name typed',
      });
      return fail(wrongNameText(rec.env));
    }
    // Who is asking is looked up before the claim, so nothing after it can fail and strand a confirmed row.
    const caller = await this.deps.inner.caller(rec.actorId, rec.channelId);
    const claimed = await store.breakGlass.confirm(rec.id, s.userId, now);
    if (!claimed) return { done: DONE };
    return { done: runConfirmed(this.deps, claimed, caller, s.correlationId) };
  }

  private async ask(
    cmd: ActionCommand,
    input: unknown,
    ask: BreakGlassAsk,
    dryRun: boolean,
    req: CommandRequest,
  ): Promise<Dispatch> {
    const { store, clock, environments } = this.deps.ports;
    const now = clock.now();
    const caller = await this.deps.inner.caller(req.userId, req.channelId);
    // A command with no environment of its own (release) goes to production.
    const envName = cmd.envOf(input);
    const env = envName ? findEnvironment(environments, envName) : environments.find((e) => e.production);
    const needs = env !== undefined && (needsApproval(cmd, input, env) || (envName === null && env.requiresApproval));
    const base = {
      at: now,
      correlationId: req.correlationId,
      actorId: req.userId,
      channelId: req.channelId,
      command: cmd.name,
      args: req.text,
      env: env?.name ?? envName,
    };
    const refuse = async (why: string, result = 'denied') => {
      await audit(store, this.deps.log, { ...base, action: 'break_glass', result, detail: why });
      return { ack: textMessage(`:no_entry: ${why}`), done: DONE };
    };
    const refusal = refuseBreakGlass({
      command: cmd.name,
      role: caller.role,
      reason: ask.reason,
      env,
      needsSecondPerson: needs,
      scheduled: isScheduledInput(input),
    });
    if (refusal) return refuse(refusal);
    // An unknown environment: the dispatcher's own answer says which ones exist.
    if (!env) return this.deps.inner.command(req);
    if (dryRun) {
      // The plan as any dry run shows it, then what break-glass would skip; nothing is asked or stored.
      const d = await this.deps.inner.command(req);
      const note = textMessage(`:mag: ${skipsText(env.name)} Nothing was asked and nothing was run.`);
      return { ack: d.ack, done: d.done.then(() => req.responder.reply(note)) };
    }
    if (!req.confirm)
      return refuse(
        'Break-glass needs the environment name typed to confirm, and this transport cannot ask. Nothing was run.',
        'usage',
      );
    const lock = await store.locks.get(env.name, now);
    if (lock) return refuse(`${lockedMessage(env.name, lock)} Break-glass does not skip a lock.`, 'locked');
    const confirm = req.confirm;
    const work = async () => {
      if (req.dedupKey && !(await firstDelivery(store, this.deps.log, req, now))) return;
      const rec = await store.breakGlass.create({
        id: randomBytes(18).toString('base64url'),
        actorId: req.userId,
        channelId: req.channelId,
        command: cmd.name,
        commandText: req.text.trim(),
        env: env.name,
        reason: ask.reason ?? '',
        createdAt: now,
        expiresAt: now + CONFIRM_TTL_MS,
      });
      await audit(store, this.deps.log, {
        ...base,
        action: 'break_glass',
        result: 'asked',
        detail: `reason: ${rec.reason}`,
      });
      try {
        await confirm(confirmPrompt(rec));
      } catch (err) {
        const e = logFailure(this.deps.log, err, 'could not ask to confirm a break-glass change');
        await req.responder.reply(
          textMessage(`:x: Could not ask you to confirm (${e.userMessage}). Nothing was run; try again.`),
        );
      }
    };
    return { ack: null, done: work() };
  }
}
