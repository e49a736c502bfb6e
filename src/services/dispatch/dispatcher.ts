import { RUN_ACTION } from '../../core/command-buttons.ts';
import type { Config } from '../../config.ts';
import type { ActionCommand, Caller, QueryCommand } from '../../ports/command.ts';
import { textMessage, type Message } from '../../core/message.ts';
import { parseInput, splitCommand } from '../../core/command-line.ts';
import { lazyChild } from '../../lazy-logger.ts';
import { explainRole } from '../../core/policy.ts';
import type { AnyCommand, CommandRegistry } from '../../ports/command.ts';
import { aRole, roleAtLeast, type Role } from '../../core/roles.ts';
import type {
  ActionHandler,
  ActionRequest,
  CommandRequest,
  Dispatch,
  Dispatcher,
  Responder,
} from '../../core/transport.ts';
import { logFailure } from '../../errors.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { DirectoryPort } from '../../ports/directory.ts';
import type { Logger } from '../../ports/logger.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../approvals/message.ts';
import { ApprovalService, type ApprovalDeps } from '../approvals/service.ts';
import { audit } from '../audit.ts';
import { buildContext, type Ports } from '../context.ts';
import { handleButton } from './button-handlers.ts';
import { runAction } from './run-action.ts';
import { answerLocked } from '../locks/locked-refusal.ts';
import { createAnnouncer, type Announcer } from '../announce.ts';
import { createProgress } from '../progress.ts';
import type { MessageRef } from '../../ports/chat.ts';
import { answerInAck } from './answer-in-ack.ts';
import { BusyRefusals } from './busy-refusals.ts';
import { firstDelivery } from './slash-dedup.ts';
import { BUSY_TEXT, WorkLimiter } from './work-limiter.ts';
import { isDryRun, unknownCommandText, usageText } from '../command-texts.ts';

// Moved to command-texts.ts; re-exported so importers keep working.
export { usageText };

// The button that runs its value as a command line as the clicker; defined with the other action ids.
export { RUN_ACTION };
export interface DispatcherDeps {
  config: Pick<Config, 'roles' | 'approvals'> & Partial<Pick<Config, 'announceChannel'>>;
  registry: CommandRegistry;
  ports: Ports;
  chat: ChatPort;
  directory: DirectoryPort;
  log: Logger;
  actionHandlers?: readonly ActionHandler[];
  /** Fixed roles for given users (the local shell's user). */
  roleOverrides?: ReadonlyMap<string, Role>;
  /** Bounds the work after acks (dispatch/work-limiter.ts); a default-sized one when absent. */
  workLimiter?: WorkLimiter;
  /** How often refusals are summed up in one audit row (dispatch/busy-refusals.ts; tests shorten it). */
  busyAuditWindowMs?: number;
  /** Told of every rejected or expired approval (wakes a workflow gate waiting on it). */
  decided?: ApprovalDeps['decided'];
}

const DONE = Promise.resolve();

/** The single entry point for `/autorisen …` and its buttons, whatever the transport. */
export class CommandDispatcher implements Dispatcher {
  private readonly approvals: ApprovalService;
  private readonly announcer: Announcer;
  private readonly limiter: WorkLimiter;
  private readonly refusals: BusyRefusals;

  constructor(private readonly deps: DispatcherDeps) {
    this.announcer = createAnnouncer(deps.chat, deps.config.announceChannel ?? null);
    this.limiter = deps.workLimiter ?? new WorkLimiter();
    const { store, clock } = deps.ports;
    this.refusals = new BusyRefusals(store, deps.log, () => clock.now(), deps.busyAuditWindowMs);
    this.approvals = new ApprovalService({
      ...deps,
      announcer: this.announcer,
      runAs: (caller, correlationId, log, anchor) => this.contextFor(caller, correlationId, log, anchor),
      caller: (userId, channelId) => this.caller(userId, channelId),
    });
  }

  /** The approval service (the expiry sweeper runs through it). */
  get approvalService(): ApprovalService {
    return this.approvals;
  }

  async command(req: CommandRequest): Promise<Dispatch> {
    // Counted before anything else: a flood of commands holds the change lane to one at a time.
    this.limiter.changes.noteArrival();
    // Saturated: answer "busy" before any store, directory or log work, so refusing costs about
    // what a bare ack does and overload cannot pile up behind it. Changes go on: they are never
    // refused, only queued (the kill switch not even that). A redelivery takes the usual road, so a
    // command that already ran is not answered "busy" on its retry.
    if (!req.retry && this.limiter.saturated) {
      const split = splitCommand(this.deps.registry, req.text);
      const found = split.ok ? split.found?.command : undefined;
      // A dry run changes nothing, so like a query it may be told "busy"; a change never is.
      if (found?.kind !== 'action' || isDryRun(found, split.ok ? split.tokens : []))
        return this.busy(req, found?.name ?? 'unparsed');
    }
    const started = this.deps.ports.clock.now();
    const caller = await this.caller(req.userId, req.channelId);
    const split = splitCommand(this.deps.registry, req.text);
    const base = {
      at: started,
      correlationId: req.correlationId,
      actorId: req.userId,
      channelId: req.channelId,
      args: req.text,
    };
    const { store } = this.deps.ports;
    if (!split.ok) {
      // An unbalanced quote: nothing after it can be trusted (it may hide --dry-run), so nothing runs.
      const log = lazyChild(this.deps.log, { correlationId: req.correlationId, userId: req.userId });
      const command = split.firstWord || 'unknown';
      await audit(store, log, { ...base, command, action: 'invoke', result: 'usage', detail: split.error });
      return { ack: textMessage(`:warning: ${split.error}`), done: DONE };
    }
    const { words, found } = split;
    const name = found?.command.name ?? words[0]!;
    const log = lazyChild(this.deps.log, { correlationId: req.correlationId, userId: req.userId, command: name });

    if (!found) {
      await audit(store, log, {
        ...base,
        command: name,
        action: 'invoke',
        result: 'unknown',
        detail: 'unknown sub-command',
      });
      return { ack: textMessage(unknownCommandText(this.deps.registry, words)), done: DONE };
    }
    const cmd = found.command;
    if (!roleAtLeast(caller.role, cmd.permission)) {
      const reason = `\`/autorisen ${cmd.name}\` needs the ${cmd.permission} role; you are ${aRole(caller.role)}. Ask an admin to grant it in the bot's config.`;
      await audit(store, log, { ...base, command: cmd.name, action: 'deny', result: 'denied', detail: reason });
      return { ack: textMessage(`:no_entry: ${reason}`), done: DONE };
    }
    // Declared options only; a command that changes anything runs only when its whole text parsed.
    const parsed = parseInput(cmd, split.tokens);
    if (parsed.ok && 'help' in parsed) return { ack: textMessage(usageText(cmd)), done: DONE };
    if (!parsed.ok) {
      await audit(store, log, {
        ...base,
        command: cmd.name,
        action: 'invoke',
        result: 'usage',
        detail: parsed.error,
      });
      return { ack: textMessage(`${parsed.error}\n${usageText(cmd)}`), done: DONE };
    }
    const dryRun = parsed.dryRun;
    const ahead = req.approvedAhead; // set only by the scheduler (issue 23 §1), never by a transport
    const run = (responder: Responder) =>
      this.run(cmd, parsed.input, caller, responder, { ...base, dryRun, log, queue: parsed.queue, ahead });
    // Ack first, then work: the follow-up starts on a later turn of the event loop, after the
    // transport has written the ack, so its I/O never delays the answer Slack waits for (3 s budget).
    if (cmd.kind === 'query' || dryRun) {
      // Changes nothing (a query, or a dry run, which only reads and shows the plan): bounded
      // (dispatch/work-limiter.ts; when saturated the ack itself says "busy" and nothing is queued). The
      // answer rides in the ack when ready within QUERY_ACK_WINDOW_MS (dispatch/answer-in-ack.ts), a dry
      // run's plan too: its response_url POST was most of its CPU over a bare ack at 500/s
      // (bench/change-ack.ts). A redelivery simply answers again.
      const answer = answerInAck(req.responder);
      const done = this.limiter.submit(() => run(answer.responder));
      if (done === null) return this.busy(req, cmd.name);
      return { ack: await answer.ack(done), done };
    }
    // A change: the ack is empty and goes out now, whatever is queued; nothing (not even the store)
    // is waited for first. Its work waits for a slot in the change lane (dispatch/change-lane.ts; the kill
    // switch and rollbacks never wait), claims the delivery (exactly once across redeliveries and
    // instances, dispatch/slash-dedup.ts) and answers by response_url.
    const work = async () => {
      if (req.dedupKey && !(await firstDelivery(store, this.deps.log, req, started))) return;
      await run(req.responder);
    };
    return { ack: null, done: this.limiter.changes.submit(work, (cmd as ActionCommand).urgent === true) };
  }

  /** The "busy" ack: nothing runs or waits; the refusal is counted and audited in a summary row. */
  private busy(req: CommandRequest, command: string): Dispatch {
    return { ack: textMessage(BUSY_TEXT), done: this.refusals.note(req.userId, command) ?? DONE };
  }

  async action(req: ActionRequest): Promise<Dispatch> {
    const caller = await this.caller(req.userId, req.channelId);
    const log = lazyChild(this.deps.log, {
      correlationId: req.correlationId,
      userId: req.userId,
      action: req.actionId,
    });
    if (req.actionId === APPROVE_ACTION || req.actionId === REJECT_ACTION) {
      const done = this.approvals.decide(req.value, req.actionId === APPROVE_ACTION, caller, req, log);
      return { ack: null, done };
    }
    if (req.actionId === RUN_ACTION) {
      return this.command({
        userId: req.userId,
        channelId: req.channelId,
        text: req.value,
        correlationId: req.correlationId,
        responder: req.responder,
      });
    }
    return handleButton(this.deps, req, caller, log);
  }

  /** The caller's identity and role (user entry, user groups, overrides). */
  async caller(userId: string, channelId: string): Promise<Caller> {
    const override = this.deps.roleOverrides?.get(userId);
    if (override) return { userId, channelId, role: override, roleSource: { kind: 'override' } };
    const groups =
      Object.keys(this.deps.config.roles.groups).length > 0
        ? await this.deps.directory.groupsOf(userId).catch(() => [])
        : [];
    const { role, source } = explainRole(this.deps.config.roles, userId, groups);
    return { userId, channelId, role, roleSource: source };
  }

  private contextFor(caller: Caller, correlationId = 'system', log: Logger = this.deps.log, anchor?: MessageRef) {
    const progress = createProgress(this.deps.chat, caller.channelId, log, anchor);
    return { ctx: buildContext(this.deps.ports, caller, correlationId, log, progress), progress };
  }

  private async run(
    cmd: AnyCommand,
    input: unknown,
    caller: Caller,
    responder: Responder,
    base: {
      at: number;
      correlationId: string;
      actorId: string;
      channelId: string;
      args: string;
      dryRun: boolean;
      log: Logger;
      queue?: boolean | undefined;
      ahead?: CommandRequest['approvedAhead'];
    },
  ): Promise<void> {
    const { store, clock } = this.deps.ports;
    const { ctx } = this.contextFor(caller, base.correlationId, base.log);
    if (base.ahead) ctx.approval = base.ahead;
    const auditBase = {
      at: base.at,
      correlationId: base.correlationId,
      actorId: base.actorId,
      channelId: base.channelId,
      args: base.args,
      command: cmd.name,
    };
    try {
      if (cmd.kind === 'query') {
        // Queries give way to deploys, rollbacks and the kill switch on the Heroku API budget.
        const msg = await (cmd as QueryCommand).run(input, { ...ctx, heroku: ctx.herokuReads ?? ctx.heroku });
        const durationMs = clock.now() - base.at;
        // The answer first (it may ride in the ack): a query's audit row never makes the user wait.
        await responder.reply(msg);
        await audit(store, base.log, { ...auditBase, action: 'invoke', result: 'ok', durationMs });
        return;
      }
      // A dry run changes nothing: like a query it reads through the low-priority view (cached for
      // up to 30 s, refused first when the Heroku budget runs low). A change's plan reads Heroku now.
      const planCtx = base.dryRun ? { ...ctx, heroku: ctx.herokuReads ?? ctx.heroku } : ctx;
      const result = await runAction(cmd as ActionCommand, input, planCtx, {
        dryRun: base.dryRun,
        approvals: this.approvals,
        requestText: base.args,
        announceChannel: this.announcer.channel,
      });
      const row = { ...auditBase, action: result.auditAction, result: result.auditResult, detail: result.detail };
      const stored = () => audit(store, base.log, { ...row, env: result.env, durationMs: clock.now() - base.at });
      // A dry run's plan first, like a query's answer: it rides in the ack, which must not wait out
      // the audit batch's window (5 ms on every dry run's ack). A change's row is stored first.
      if (base.dryRun) await responder.reply(result.reply).then(stored);
      else await stored().then(() => responder.reply(result.reply));
      if (result.announcement) await this.announcer.announce(caller.channelId, result.announcement, base.log);
    } catch (err) {
      const e = logFailure(base.log, err, 'command failed');
      // issue 23 §3: refused because the environment is locked → "Queue me", or queued with --queue.
      const locked = e.code === 'locked' && !base.dryRun ? await answerLocked(cmd, input, e, ctx, base) : null;
      await audit(store, base.log, {
        ...auditBase,
        action: 'invoke',
        result: locked?.auditResult ?? 'error',
        detail: locked?.detail ?? `${e.code}: ${e.userMessage}`,
        durationMs: clock.now() - base.at,
      });
      await responder
        .reply(locked?.reply ?? textMessage(`:x: ${e.userMessage}`))
        .catch((replyErr) => base.log.warn({ err: replyErr }, 'could not deliver the error reply'));
    }
  }
}

export type { Message };
