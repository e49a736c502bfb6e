import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { FakeViews } from '../fakes/fake-slack-views.ts';

/** The fake Slack's modals behave like Slack's: views.open spends a fresh trigger_id once; view_submission's shape. */
const TOKEN = 'xoxb-test';
let slack: FakeSlackApi;
beforeEach(async () => {
  slack = await FakeSlackApi.start({ token: TOKEN });
});
afterEach(async () => slack.close());

const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'autorisen:x',
  private_metadata: 'abc',
  title: { type: 'plain_text', text: 'Break glass' },
  submit: { type: 'plain_text', text: 'Run it' },
  blocks: [
    {
      type: 'input',
      block_id: 'b',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'a' },
    },
  ],
  ...extra,
});

async function open(trigger: string, view: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack.apiUrl}views.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ trigger_id: trigger, view: JSON.stringify(view) }).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('views.open and view_submission on the fake Slack', () => {
  it('opens a modal with a trigger it issued, once; an unknown trigger or a bad view is refused', async () => {
    slack.views.issue('1.2.ok', 'UADA', 'T1');
    expect(await open('9.9.unknown', modal())).toEqual({ ok: false, error: 'invalid_trigger_id' });
    expect(await open('1.2.ok', modal({ submit: undefined }))).toEqual({ ok: false, error: 'invalid_arguments' });
    expect(await open('1.2.ok', modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }))).toMatchObject({
      error: 'invalid_arguments',
    });
    const first = await open('1.2.ok', modal());
    expect(first).toMatchObject({
      ok: true,
      view: { type: 'modal', callback_id: 'autorisen:x', private_metadata: 'abc', state: { values: {} } },
    });
    expect(await open('1.2.ok', modal())).toEqual({ ok: false, error: 'exchanged_trigger_id' });
    const id = (first.view as { id: string }).id;
    expect(slack.views.submission(id, { b: { a: 'production' } })).toMatchObject({
      type: 'view_submission',
      user: { id: 'UADA' },
      view: {
        id,
        callback_id: 'autorisen:x',
        private_metadata: 'abc',
        state: { values: { b: { a: { type: 'plain_text_input', value: 'production' } } } },
      },
    });
  });

  it('a trigger_id expires after 3 s', () => {
    let now = 0;
    const views = new FakeViews('B1', () => now);
    views.issue('1.2.3', 'UADA', 'T1');
    now = 3001;
    expect(views.open({ trigger_id: '1.2.3', view: modal() })).toEqual({ ok: false, error: 'expired_trigger_id' });
  });
});
