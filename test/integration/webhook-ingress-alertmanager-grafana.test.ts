import { describe, expect, it } from 'vitest';
import { ingressWorld } from './ingress-world.ts';
import {
  compact,
  fixture,
  headersFor,
  realClock,
  send,
  sign,
  SECRETS,
  startIngress,
  testConfig,
} from './alert-harness.ts';

/**
 * The Alertmanager and Grafana webhook endpoints through real HTTP with really-signed real fixtures
 * (Sentry, Heroku and the body cap: webhook-ingress.test.ts): each accepts its fixture (202, stored),
 * and each guard answers its exact status with nothing stored.
 */
const w = ingressWorld();
const { rejected } = w;

describe('POST /hooks/alertmanager', () => {
  const body = fixture('alertmanager/webhook_v4_firing_am0.27.0.faultline.wire.json');

  it('accepts the byte-exact Alertmanager 0.27 body with the bearer token (and the previous one)', async () => {
    expect((await send(w.url, '/hooks/alertmanager', body, headersFor.alertmanager())).status).toBe(202);
    const g = await w.store.alerts.getGroup('alertmanager:alert:13d86469efcf3ccc');
    expect(g).toMatchObject({
      severity: 'critical',
      channel: 'C0ONCALL01',
      title: 'checkoutservice error rate above 5%',
    });
    const older = fixture('alertmanager/webhook_v4_firing_3_alerts.raw.json');
    expect(
      (
        await send(w.url, '/hooks/alertmanager', older, {
          ...headersFor.alertmanager(),
          authorization: `Bearer ${SECRETS.ALERTMANAGER_TOKEN_PREVIOUS}`,
        })
      ).status,
    ).toBe(202);
  });

  it('rejects a wrong or missing token, bad JSON and a wrong shape', async () => {
    await rejected(
      '/hooks/alertmanager',
      body,
      { 'content-type': 'application/json' },
      400,
      /missing header authorization/,
    );
    await rejected(
      '/hooks/alertmanager',
      body,
      { ...headersFor.alertmanager(), authorization: 'Bearer nope' },
      401,
      /token/,
    );
    await rejected(
      '/hooks/alertmanager',
      body,
      { ...headersFor.alertmanager(), authorization: `Basic ${SECRETS.ALERTMANAGER_TOKEN}` },
      401,
      /token/,
    );
    await rejected('/hooks/alertmanager', Buffer.from('not json'), headersFor.alertmanager(), 400, /not valid JSON/);
    await rejected(
      '/hooks/alertmanager',
      Buffer.from('{"status":"firing","alerts":{}}'),
      headersFor.alertmanager(),
      400,
      /alerts/,
    );
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    await rejected('/hooks/alertmanager', big, headersFor.alertmanager(), 413, /larger than/);
  });
});

describe('POST /hooks/grafana', () => {
  const body = compact('grafana/webhook_v1_firing.grafana_docs.json');

  it('accepts the Grafana docs body with an HMAC over "<ts>:<body>"', async () => {
    expect((await send(w.url, '/hooks/grafana', body, headersFor.grafana(body))).status).toBe(202);
    expect(await w.store.alerts.getGroup('grafana:alert:c6eadffa33fcdf37')).toMatchObject({
      title: 'This alert was triggered for zone us-1',
    });
  });

  it('accepts an HMAC without a timestamp header (signature over the body alone)', async () => {
    const b = compact('grafana/webhook_v1_test_button.grafana_cloud.pytorch_alerting_infra.json');
    expect(
      (
        await send(w.url, '/hooks/grafana', b, {
          'content-type': 'application/json',
          'x-grafana-alerting-signature': sign.grafana(b, null),
        })
      ).status,
    ).toBe(202);
  });

  it('rejects a stale or future timestamp, a signature that omits the timestamp, and a missing signature', async () => {
    const old = String(Math.floor(Date.now() / 1000) - 301);
    await rejected('/hooks/grafana', body, headersFor.grafana(body, old), 401, /more than 300 s/);
    const future = String(Math.floor(Date.now() / 1000) + 3600);
    await rejected('/hooks/grafana', body, headersFor.grafana(body, future), 401, /more than 300 s/);
    const ts = String(Math.floor(Date.now() / 1000));
    await rejected(
      '/hooks/grafana',
      body,
      {
        'content-type': 'application/json',
        'x-grafana-alerting-timestamp': ts,
        'x-grafana-alerting-signature': sign.grafana(body, null),
      },
      401,
      /signature/,
    );
    await rejected(
      '/hooks/grafana',
      body,
      { 'content-type': 'application/json' },
      400,
      /missing header x-grafana-alerting-signature/,
    );
  });

  it('uses the bearer token when no HMAC secret is set', async () => {
    const tokenOnly = await startIngress({
      store: w.store,
      config: testConfig({ GRAFANA_TOKEN: 'graf-tok' }),
      clock: realClock,
    });
    try {
      const b = compact('grafana/webhook_v1_test_button.grafana_cloud.pytorch_alerting_infra.json');
      expect(
        (
          await send(tokenOnly.url, '/hooks/grafana', b, {
            'content-type': 'application/json',
            authorization: 'Bearer graf-tok',
          })
        ).status,
      ).toBe(202);
      expect(
        (
          await send(tokenOnly.url, '/hooks/grafana', b, {
            'content-type': 'application/json',
            authorization: 'Bearer wrong',
          })
        ).status,
      ).toBe(401);
      // No Sentry secret in this config: the endpoint refuses rather than accept unauthenticated data.
      const s = await send(tokenOnly.url, '/hooks/sentry', b, { 'content-type': 'application/json' });
      expect(s).toMatchObject({ status: 503, body: { error: expect.stringMatching(/SENTRY_CLIENT_SECRET/) } });
    } finally {
      await tokenOnly.close();
    }
  });
});
