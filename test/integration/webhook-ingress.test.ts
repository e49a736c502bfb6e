import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ingressWorld } from './ingress-world.ts';
import { compact, fixture, headersFor, send, sentryEnvelope, sign, SECRETS } from './alert-harness.ts';

/**
 * The four webhook endpoints through real HTTP with really-signed real fixtures: each accepts its
 * fixture (202, stored), and each guard answers its exact status with nothing stored.
 */
const w = ingressWorld();
const { deliveries, rejected } = w;

describe('POST /hooks/sentry', () => {
  const body = compact('sentry/event_alert_triggered.docs.json');

  it('accepts the real event_alert, signed with the current secret, and stores it before 202', async () => {
    const before = await deliveries();
    const r = await send(w.url, '/hooks/sentry', body, headersFor.sentry(body, 'event_alert'));
    expect(r).toMatchObject({ status: 202, body: { ok: true, duplicate: false } });
    expect(await deliveries()).toBe(before + 1);
    const g = await w.store.alerts.getGroup('sentry:issue:1117540176');
    expect(g).toMatchObject({
      title: 'ReferenceError: heck is not defined',
      env: 'production',
      channel: 'C0ALERTSPR',
      count: 1,
      status: 'firing',
    });
  });

  it('recognises the same payload retried (new Request-ID) as a duplicate: 202, not stored twice', async () => {
    const before = await deliveries();
    const r = await send(w.url, '/hooks/sentry', body, headersFor.sentry(body, 'event_alert'));
    expect(r).toMatchObject({ status: 202, body: { duplicate: true } });
    expect(await deliveries()).toBe(before);
    expect((await w.store.alerts.getGroup('sentry:issue:1117540176'))!.count).toBe(1);
  });

  it('accepts the previous secret during rotation', async () => {
    const b = compact('sentry/issue_created.docs.json');
    const r = await send(w.url, '/hooks/sentry', b, {
      ...headersFor.sentry(b, 'issue'),
      'sentry-hook-signature': sign.sentry(b, SECRETS.SENTRY_CLIENT_SECRET_PREVIOUS),
    });
    expect(r.status).toBe(202);
  });

  it('accepts metric_alert, error and installation resources', async () => {
    for (const [b, resource] of [
      [compact('sentry/metric_alert_resolved.docs.json'), 'metric_alert'],
      [sentryEnvelope('metric_alert_critical.data_only.sentry_test.json', 'critical'), 'metric_alert'],
      [sentryEnvelope('error_created.data_only.sentry_test.json', 'created'), 'error'],
      [sentryEnvelope('installation_created.data_only.sentry_test.json', 'created'), 'installation'],
    ] as const) {
      expect((await send(w.url, '/hooks/sentry', b, headersFor.sentry(b, resource))).status).toBe(202);
    }
  });

  it('rejects, in guard order, with the exact status and nothing stored', async () => {
    const h = headersFor.sentry(body, 'event_alert');
    await rejected('/hooks/sentry', null, h, 405, /method GET/, 'GET');
    await rejected('/hooks/sentry', body, { ...h, 'content-type': 'text/plain' }, 415, /application\/json/);
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    await rejected('/hooks/sentry', big, headersFor.sentry(big, 'event_alert'), 413, /larger than/);
    const { 'sentry-hook-signature': _sig, ...noSig } = h;
    await rejected('/hooks/sentry', body, noSig, 400, /missing header sentry-hook-signature/);
    await rejected(
      '/hooks/sentry',
      body,
      { ...h, 'sentry-hook-signature': sign.sentry(body, 'wrong-secret') },
      401,
      /signature/,
    );
    await rejected('/hooks/sentry', body, { ...h, 'sentry-hook-signature': 'abc' }, 401, /signature/);
    const notJson = Buffer.from('{"action": "triggered", ');
    await rejected('/hooks/sentry', notJson, headersFor.sentry(notJson, 'event_alert'), 400, /not valid JSON/);
    await rejected('/hooks/sentry', body, headersFor.sentry(body, 'metric_alert'), 400, /data\.metric_alert/);
    await rejected('/hooks/sentry', body, headersFor.sentry(body, 'comment'), 400, /unsupported Sentry-Hook-Resource/);
  });
});

describe('a body over 1 MiB sent chunked (no Content-Length)', () => {
  /** Stream `total` bytes of a JSON-looking body in 64 KiB chunks, as a sender without Content-Length would. */
  function sendChunked(
    path: string,
    total: number,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; chunked: boolean }> {
    return new Promise((resolve, reject) => {
      const req = request(`${w.url}${path}`, { method: 'POST', headers });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
            chunked: req.getHeader('transfer-encoding') === 'chunked' || !req.getHeader('content-length'),
          }),
        );
      });
      // The server answers 413 and closes as soon as the cap is crossed; writes after that may fail.
      req.on('error', (err) => (req.writableEnded ? undefined : reject(err)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      chunk[0] = 0x7b; // "{", so it starts like JSON
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  it('answers 413 and stores nothing, for every endpoint', async () => {
    const sig = { 'sentry-hook-resource': 'event_alert', 'sentry-hook-signature': sign.sentry(Buffer.from('{}')) };
    for (const [path, headers] of [
      ['/hooks/sentry', { 'content-type': 'application/json', ...sig }],
      ['/hooks/alertmanager', headersFor.alertmanager()],
      [
        '/hooks/heroku',
        { 'content-type': 'application/json', 'heroku-webhook-hmac-sha256': sign.heroku(Buffer.from('{}')) },
      ],
    ] as const) {
      const before = await deliveries();
      const r = await sendChunked(path, 1024 * 1024 + 64 * 1024, headers);
      expect(r.chunked).toBe(true);
      expect(r.status).toBe(413);
      expect(String(r.body.error)).toMatch(/larger than 1048576 bytes/);
      expect(await deliveries()).toBe(before);
    }
  });

  it('still accepts a chunked body under the cap', async () => {
    const body = compact('sentry/issue_created.docs.json');
    const r = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${w.url}/hooks/sentry`,
        { method: 'POST', headers: headersFor.sentry(body, 'issue') },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, 100));
      req.end(body.subarray(100));
    });
    expect(r).toBe(202);
  });
});
describe('POST /hooks/heroku', () => {
  it('computes the published known-answer HMAC (unsplash/mercury vector)', () => {
    const v = JSON.parse(fixture('heroku/webhook_hmac_test_vector.unsplash_mercury.json').toString('utf8')) as {
      secret: string;
      raw_body: string;
      expected_header_value: string;
    };
    expect(sign.heroku(Buffer.from(v.raw_body), v.secret)).toBe(v.expected_header_value);
  });

  it('accepts a real api:release update and a crashed dyno; dedups retries of a delivery id', async () => {
    const rel = compact('heroku/webhook_api_release_update.real_redacted.json');
    expect((await send(w.url, '/hooks/heroku', rel, headersFor.heroku(rel))).status).toBe(202);
    // A retry of the same delivery id with a re-serialised body is still the same delivery.
    const retry = Buffer.from(JSON.stringify(JSON.parse(rel.toString('utf8')), null, 1));
    expect(await send(w.url, '/hooks/heroku', retry, headersFor.heroku(retry))).toMatchObject({
      status: 202,
      body: { duplicate: true },
    });
    const crash = compact('heroku/webhook_dyno_destroy_crashed.real_redacted.json');
    expect(
      (
        await send(w.url, '/hooks/heroku', crash, {
          ...headersFor.heroku(crash),
          'heroku-webhook-hmac-sha256': sign.heroku(crash, SECRETS.HEROKU_WEBHOOK_SECRET_PREVIOUS),
        })
      ).status,
    ).toBe(202);
    expect(await w.store.alerts.getGroup('heroku:dyno-crash:my-app:scheduler')).toMatchObject({
      env: 'production',
      channel: 'C0DEPLOYPRD',
    });
    expect(await w.store.alerts.pendingNotices(10)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'C0DEPLOYPRD', text: expect.stringContaining('Deploy 69eec518') }),
      ]),
    );
  });

  it('rejects a bad signature, a missing signature and a wrong shape', async () => {
    const b = compact('heroku/webhook_dyno_create_starting.real_redacted.json');
    await rejected(
      '/hooks/heroku',
      b,
      { ...headersFor.heroku(b), 'heroku-webhook-hmac-sha256': sign.heroku(b, 'nope') },
      401,
      /signature/,
    );
    await rejected(
      '/hooks/heroku',
      b,
      { 'content-type': 'application/json' },
      400,
      /missing header heroku-webhook-hmac-sha256/,
    );
    const shape = Buffer.from('{"action":"update","resource":"release","data":{}}');
    await rejected('/hooks/heroku', shape, headersFor.heroku(shape), 400, /"data\.app" is required/);
    await rejected(
      '/hooks/heroku',
      b,
      { ...headersFor.heroku(b), 'content-type': 'application/x-www-form-urlencoded' },
      415,
      /content type/,
    );
  });
});
