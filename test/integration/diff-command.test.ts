import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { productionSpec, stagingSpec, startSpecServer, type SpecServer } from './diff-command-harness.ts';

/** `/autorisen diff` end to end: the real app over signed Slack HTTP, specs from local servers. */
let b: BootedApp;
let prod: SpecServer;
let staging: SpecServer;

beforeAll(async () => {
  prod = await startSpecServer(productionSpec());
  staging = await startSpecServer(stagingSpec());
  b = await bootApp({ baseUrls: { production: prod.url, staging: staging.url } });
});
afterAll(async () => {
  await b?.stop();
  await prod?.close();
  await staging?.close();
});
beforeEach(() => {
  b.slack.reset();
});

/** Send `/autorisen <text>` as the viewer and return its answer (in the ack, or by response_url). */
async function diff(text: string): Promise<string> {
  const res = await b.driver.command(text, { userId: USERS.vic, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  return readable(await b.slack.answerTo(res, 20_000));
}

/** A message's fallback text and every text in its blocks, as a user would read them. */
function readable(m: Record<string, unknown>): string {
  const blocks = (m.blocks ?? []) as Array<{ text?: { text?: string }; elements?: Array<{ text?: string }> }>;
  return [
    String(m.text),
    ...blocks.map((x) => x.text?.text ?? (x.elements ?? []).map((e) => e.text ?? '').join(' ')),
  ].join('\n');
}
const textOf = (c: SlackCall): string => readable(c.args);

describe('/autorisen diff over signed HTTP', () => {
  it('compares production with staging by default: progress, summary in place, full report in the thread', async () => {
    const reply = await diff('diff');
    // The summary: counts, the breaking change under its operation with its sentence, the namespace finding.
    expect(reply).toContain('OpenAPI diff: production → staging');
    expect(reply).toMatch(/1 breaking · \d+ warning · \d+ non-breaking/);
    expect(reply).toContain('POST /api/autorisen/items/');
    expect(reply).toMatch(/Model `ItemCreate` in requests, property `sku`: .*required/);
    expect(reply).toContain('GET /api/other/ping was added outside /api/autorisen/');
    expect(reply).toMatch(/cross-check: openapi-diff compared the JSON bodies of \d+ changed operation/);

    // Progress: one channel message saying what is being fetched, then rewritten in place with the summary.
    const [status] = b.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined);
    expect(status!.args.channel).toBe('CROLLOUT');
    expect(String(status!.args.text)).toMatch(/Comparing production → staging \(fetching specs\)/);
    const updates = b.slack.callsTo('chat.update');
    expect(textOf(updates.at(-1)!)).toMatch(/1 breaking · [\s\S]*ItemCreate/);

    // The full report (including the non-breaking new endpoint) as a thread reply under the status message.
    const thread = b.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts !== undefined);
    expect(thread.length).toBeGreaterThan(0);
    expect(thread.every((c) => c.error === null)).toBe(true);
    const full = thread.map(textOf).join('\n');
    expect(full).toContain('full report, part 1 of 1');
    expect(full).toMatch(/\[non-breaking\] endpoint-added GET \/api\/other\/ping/);
    expect(full).toContain(
      '[breaking] request-new-required-property POST /api/autorisen/items/ (schema ItemCreate.sku)',
    );
  });

  it('a second identical diff fetches the specs again but reuses the cached result', async () => {
    await diff('diff production staging');
    const before = { prod: prod.requests, staging: staging.requests };
    const reply = await diff('diff prod stage');
    expect(prod.requests).toBe(before.prod + 1);
    expect(staging.requests).toBe(before.staging + 1);
    expect(reply).toMatch(/cached result from \d{4}-\d\d-\d\d \d\d:\d\d UTC \(same documents\)/);
    expect(reply).toMatch(/1 breaking/);
  });

  it('a changed document is compared afresh (the cache is keyed by content)', async () => {
    staging.doc = productionSpec();
    try {
      const reply = await diff('diff');
      expect(reply).toContain('0 breaking · 0 warning · 0 non-breaking');
      expect(reply).not.toContain('cached result');
    } finally {
      staging.doc = stagingSpec();
    }
  });

  it('accepts URLs, and says clearly when a document is missing', async () => {
    const reply = await diff(`diff ${prod.url}/openapi.json ${staging.url}/nope.json`);
    expect(reply).toContain(`${staging.url}/nope.json answered HTTP 404 (not found: check the URL)`);
    // The status message does not keep saying "Comparing…".
    expect(textOf(b.slack.callsTo('chat.update').at(-1)!)).toMatch(/:x: OpenAPI diff: .* failed: .*HTTP 404/);
  });

  it('refuses URLs on hosts that are neither an environment nor allowed (no SSRF from Slack)', async () => {
    const reply = await diff('diff http://169.254.169.254/latest/meta-data staging');
    expect(reply).toMatch(
      /only fetch OpenAPI documents from the environments' hosts .* "169\.254\.169\.254" is neither/,
    );
    expect(b.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('refuses file paths and unknown words with usage advice', async () => {
    expect(await diff('diff /etc/passwd staging')).toMatch(
      /"\/etc\/passwd" is not an environment \(staging, production\), an http\(s\) URL or a github:/,
    );
    expect(b.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('/autorisen diff when production is down', () => {
  let down: BootedApp;
  let deadUrl: string;
  beforeAll(async () => {
    // A port that was just listening and is now closed: connections are refused.
    const gone = await startSpecServer({});
    deadUrl = gone.url;
    await gone.close();
    down = await bootApp({ baseUrls: { production: deadUrl, staging: staging.url } });
  });
  afterAll(async () => down?.stop());

  it('replies with one clear line naming the environment and the URL', async () => {
    const res = await down.driver.command('diff', { userId: USERS.vic, channelId: 'CROLLOUT' });
    const text = String((await down.slack.answerTo(res, 20_000)).text);
    expect(text).toBe(
      `:x: Could not get production's OpenAPI document: Cannot reach ${deadUrl}/openapi.json (connect ECONNREFUSED ${deadUrl.slice('http://'.length)}).`,
    );
    expect(text).not.toContain('\n');
  });
});

describe('/autorisen diff --profile', () => {
  it('compares with oasdiff levels on request, says so, and caches it apart from the default', async () => {
    await diff('diff production staging');
    const reply = await diff('diff production staging --profile oasdiff');
    expect(reply).toContain('levels: oasdiff profile');
    expect(reply).not.toContain('cached result');
    // oasdiff also calls a new required request property ERR: the verdict is the same here.
    expect(reply).toMatch(/1 breaking/);
    const bad = await b.driver.command('diff production staging --profile strict', {
      userId: USERS.vic,
      channelId: 'CROLLOUT',
    });
    expect(readable(await b.slack.answerTo(bad, 20_000))).toContain('--profile is `autorisen`');
  });
});
