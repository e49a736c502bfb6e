import type { Message } from './message.ts';

/**
 * The contract between transports (Slack HTTP, Socket Mode, the local shell) and the dispatcher.
 * Transports only move bytes: they verify, ack, and hand requests over (bolt-js: receivers only
 * handle transport).
 */

/** Replies to the person who typed the command or clicked the button. */
export interface Responder {
  /** Post a reply (ephemeral or in_channel per message.visibility); Slack: response_url. */
  reply(message: Message): Promise<void>;
  /** Rewrite the message the button was on (block_actions only; Slack: replace_original). */
  replaceOriginal?(message: Message): Promise<void>;
}

export interface CommandRequest {
  userId: string;
  channelId: string;
  /** Everything after "/autorisen". */
  text: string;
  /** Per-request id that follows the work through logs and the audit log. */
  correlationId: string;
  responder: Responder;
  /**
   * Identifies this invocation across redeliveries (Slack: team + trigger_id, identical when Slack
   * resends with X-Slack-Retry-Num). The dispatcher runs each key once, whichever instance gets it.
   */
  dedupKey?: string;
  /** Slack's X-Slack-Retry-Num / X-Slack-Retry-Reason when this is a redelivery (for the logs). */
  retry?: { num: number; reason: string | null };
  /**
   * Ask the person who typed it to confirm by typing text (break-glass, issue 23 §2): Slack opens a
   * modal with the command's trigger_id (valid 3 s, once); the shell prompts. The answer comes back
   * through `Dispatcher.submit`. Absent where the transport cannot ask.
   */
  confirm?: (prompt: ConfirmPrompt) => Promise<void>;
  /**
   * Set only by the bot's own scheduler, never from anything a transport received: this change was
   * approved ahead (issue 23 §1; `id` names the schedule), so its approval rule is met. Typed text
   * cannot claim it: it is not part of the text, and transports build requests field by field.
   */
  approvedAhead?: { id: string; approvedBy: string };
}

/** A typed confirmation (a Slack modal with one plain_text_input; a prompt in the shell). */
export interface ConfirmPrompt {
  /** Routes the submission (Slack: the view's callback_id). */
  callbackId: string;
  /** An opaque id the submission carries back (Slack: private_metadata); never trusted on its own. */
  privateMetadata: string;
  title: string;
  /** What is being confirmed (mrkdwn). */
  text: string;
  /** The input's label (the shell prints it as the prompt). */
  label: string;
  blockId: string;
  actionId: string;
  submitLabel: string;
}

/** What a person typed into a confirmation (Slack: a view_submission). */
export interface ConfirmSubmission {
  callbackId: string;
  privateMetadata: string;
  userId: string;
  /** The typed text by block id, then action id (Slack: view.state.values[block][action].value). */
  values: Record<string, Record<string, string>>;
  correlationId: string;
}

/** Either errors to show under the inputs (the confirmation stays open), or it closes and work follows. */
export type ConfirmAnswer = { errors: Record<string, string> } | { done: Promise<void> };

export interface ActionRequest {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  /** The message the button was on. */
  messageTs: string | null;
  correlationId: string;
  responder: Responder;
}

/** What the transport sends as the immediate ack, and the work that continues after it. */
export interface Dispatch {
  /** Ack body: null for an empty 200 (work follows via responder), or a usage/permission error. */
  ack: Message | null;
  /** Resolves when all follow-up work is done (transports await it for graceful shutdown). */
  done: Promise<void>;
}

export interface Dispatcher {
  command(req: CommandRequest): Promise<Dispatch>;
  action(req: ActionRequest): Promise<Dispatch>;
  /** A submitted confirmation (`CommandRequest.confirm`); absent where nothing asks for one. */
  submit?(s: ConfirmSubmission): Promise<ConfirmAnswer>;
}

/**
 * A button family handled outside the approval flow (alerts: acknowledge, silence). Registered in
 * the composition root; the dispatcher resolves the clicker's role, checks `permission`, audits,
 * then calls `handle`. Built-in action ids: "autorisen:approve" / "autorisen:reject" (value =
 * approval id) and "autorisen:run" (value = a command line such as "rollback production", run as
 * if the clicker had typed it — used by Roll back and Turn flag off buttons).
 */
export interface ActionHandler {
  /** Exact action_id this handler owns, e.g. "autorisen:alert-ack". */
  actionId: string;
  permission: import('./roles.ts').Role;
  handle(req: ActionRequest, caller: import('./command.ts').Caller): Promise<Message | null>;
}
