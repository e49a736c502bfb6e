import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidSlackRequest } from '@slack/bolt';
import { signSlackRequest } from '../drivers/slack-driver.ts';

// Slack's own worked example (fixtures/slack/signing_test_vector.json, see test/fixtures/README.md).
const vector = JSON.parse(
  readFileSync(new URL('../fixtures/slack/signing_test_vector.json', import.meta.url), 'utf8'),
) as {
  signing_secret: string;
  x_slack_request_timestamp: string;
  raw_body: string;
  x_slack_signature: string;
};

describe('signSlackRequest (the driver signer)', () => {
  it('reproduces the official Slack signing example', () => {
    expect(signSlackRequest(vector.signing_secret, vector.x_slack_request_timestamp, vector.raw_body)).toBe(
      vector.x_slack_signature,
    );
  });

  it('produces signatures Bolt accepts at the vector time and rejects for another body', () => {
    const ts = Number(vector.x_slack_request_timestamp);
    const check = (body: string, sig: string) =>
      isValidSlackRequest({
        signingSecret: vector.signing_secret,
        body,
        headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
        nowMilliseconds: ts * 1000 + 1000,
      });
    const sig = signSlackRequest(vector.signing_secret, ts, vector.raw_body);
    expect(check(vector.raw_body, sig)).toBe(true);
    expect(check(`${vector.raw_body}&x=1`, sig)).toBe(false);
  });
});
