import { expect } from 'vitest';
import { CONFIRM_BLOCK, CONFIRM_INPUT, REVIEW_ACTION } from '../../src/core/break-glass.ts';
import { USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

/** Break-glass over signed Slack HTTP (issue 23 §2): command → modal → typed name → change → review. */

/** What the person who typed it sees first: the ack's text, else its first response_url post. */
export async function answerText(b: BootedApp, res: { json: unknown; responseId: string }): Promise<string> {
  return String((await b.slack.answerTo(res)).text);
}

/** `/autorisen <text>` as `userId` in #rollout; when a modal opens, its view id. */
export async function ask(
  b: BootedApp,
  text: string,
  userId: string = USERS.ada,
): Promise<{ res: Awaited<ReturnType<BootedApp['driver']['command']>>; viewId: string | null }> {
  const before = b.slack.callsTo('views.open').length;
  const res = await b.driver.command(text, { userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  // A refusal rides in the ack, a dry run answers by response_url; otherwise a modal opens.
  if (res.json) return { res, viewId: null };
  const opened = await Promise.race([
    b.slack.waitForCalls('views.open', before + 1, 5000).catch(() => null),
    b.slack.waitForResponses(1, res.responseId, 5000).then(() => null),
  ]);
  const call = opened?.[before];
  if (!call) return { res, viewId: null };
  const view = [...b.slack.views.opened.values()].find(
    (v) => v.view.private_metadata === (call.args.view as { private_metadata?: string }).private_metadata,
  );
  return { res, viewId: (view?.view.id as string | undefined) ?? null };
}

/** Submit the modal with `typed` in its input, signed as Slack sends it; the ack's JSON (null when empty). */
export async function submit(b: BootedApp, viewId: string, typed: string, userId?: string): Promise<unknown> {
  const payload = b.slack.views.submission(viewId, { [CONFIRM_BLOCK]: { [CONFIRM_INPUT]: typed } }, userId);
  const res = await b.driver.interaction(payload);
  expect(res.status).toBe(200);
  return res.json;
}

/** Messages the bot posted (chat.postMessage) whose text matches. */
export function posts(b: BootedApp, re: RegExp): SlackCall[] {
  return b.slack.callsTo('chat.postMessage').filter((c) => re.test(String(c.args.text)));
}

/** The review id on the review message's "Acknowledge review" button. */
export function reviewButton(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  const button = blocks.flatMap((x) => x.elements ?? []).find((e) => e.action_id === REVIEW_ACTION);
  if (!button?.value) throw new Error('no Acknowledge review button');
  return button.value;
}

/** Click "Acknowledge review" as `userId`; the reply text. */
export async function acknowledge(b: BootedApp, id: string, userId: string): Promise<string> {
  const res = await b.driver.click({ actionId: REVIEW_ACTION, value: id, userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return String(reply!.body.text);
}
