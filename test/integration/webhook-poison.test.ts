import { describe, expect, it } from 'vitest';
import { ingressWorld } from './ingress-world.ts';
import { compact, headersFor, send } from './alert-harness.ts';

/**
 * Issue 9 item 4: bodies that crashed the normalisers (a 503, which Alertmanager retries for ever)
 * are the sender's 400, with a body that names what was wrong, and nothing is stored.
 */
const w = ingressWorld();
const { deliveries } = w;
const deep = (n: number, leaf = '"x"') => `${'['.repeat(n)}${leaf}${']'.repeat(n)}`;

type Endpoint = 'alertmanager' | 'grafana';
const endpoints: { name: Endpoint; fixture: string }[] = [
  { name: 'alertmanager', fixture: 'alertmanager/webhook_v4_firing_am0.27.0.faultline.wire.json' },
  { name: 'grafana', fixture: 'grafana/webhook_v1_firing.grafana_docs.json' },
];

/** The real fixture with `field` (top level or in alerts[0]) replaced by raw JSON text. */
function poisoned(fixture: string, field: string, rawValue: string, inAlert: boolean): Buffer {
  const body = JSON.parse(compact(fixture).toString('utf8')) as { alerts: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  const marker = '__POISON__';
  if (inAlert) body.alerts[0]![field] = marker;
  else body[field] = marker;
  return Buffer.from(JSON.stringify(body).replace(`"${marker}"`, rawValue));
}

async function post(name: Endpoint | 'sentry', body: Buffer, resource = 'event_alert') {
  const headers =
    name === 'sentry'
      ? headersFor.sentry(body, resource)
      : name === 'grafana'
        ? headersFor.grafana(body)
        : headersFor.alertmanager();
  return send(w.url, `/hooks/${name}`, body, headers);
}

describe.each(endpoints)('poison bodies on /hooks/$name', ({ name, fixture }) => {
  it('accepts the real fixture (the schema lets real payloads through)', async () => {
    expect((await post(name, compact(fixture))).status).toBe(202);
  });

  it.each([
    ['externalURL', false],
    ['generatorURL', true],
    ['fingerprint', true],
  ] as const)(
    'a non-string %s is a 400 naming the field (was 503 "replace is not a function")',
    async (field, inAlert) => {
      for (const raw of ['42', '{"a":1}', '["x"]', 'true']) {
        const before = await deliveries();
        const r = await post(name, poisoned(fixture, field, raw, inAlert));
        expect(r.status).toBe(400);
        expect(String(r.body.error)).toContain(inAlert ? `alerts[0].${field}` : field);
        expect(String(r.body.error)).toMatch(/expected a string/);
        expect(await deliveries()).toBe(before);
      }
    },
  );

  it.each([
    ['externalURL', false],
    ['generatorURL', true],
    ['fingerprint', true],
    ['labels', true],
  ] as const)(
    '%s nested 1,000 and 10,000 deep is a 400 (was 503 "Maximum call stack size exceeded")',
    async (field, inAlert) => {
      for (const n of [1_000, 10_000]) {
        const before = await deliveries();
        const r = await post(name, poisoned(fixture, field, deep(n), inAlert));
        expect(r).toMatchObject({ status: 400, body: { error: 'JSON nested deeper than 64 levels' } });
        expect(await deliveries()).toBe(before);
      }
    },
  );

  it('a wrong type nested within the bound still names the field', async () => {
    const r = await post(name, poisoned(fixture, 'generatorURL', deep(40), true));
    expect(r).toMatchObject({ status: 400, body: { error: '"alerts[0].generatorURL" expected a string' } });
  });
});

describe('poison bodies on /hooks/sentry', () => {
  it('a non-string title or an object as issue id is a 400 naming the field', async () => {
    const base = JSON.parse(compact('sentry/event_alert_triggered.docs.json').toString());
    for (const [field, value] of [
      ['title', { nested: true }],
      ['issue_id', [1, 2]],
      ['tags', 'browser'],
    ] as const) {
      const body = structuredClone(base);
      body.data.event[field] = value;
      const r = await post('sentry', Buffer.from(JSON.stringify(body)));
      expect(r.status).toBe(400);
      expect(String(r.body.error)).toContain(`data.event.${field}`);
    }
  });

  it('a title nested 10,000 deep is a 400', async () => {
    const body = compact('sentry/event_alert_triggered.docs.json')
      .toString()
      .replace(/"title":"[^"]*"/, `"title":${deep(10_000)}`);
    expect(body).toContain('[[[[');
    const r = await post('sentry', Buffer.from(body));
    expect(r).toMatchObject({ status: 400, body: { error: 'JSON nested deeper than 64 levels' } });
  });

  it('brackets inside strings do not count as nesting', async () => {
    const body = compact('sentry/event_alert_triggered.docs.json')
      .toString()
      .replace(/"title":"[^"]*"/, `"title":"${'[{'.repeat(200)} \\" ${'['.repeat(100)}"`);
    expect((await post('sentry', Buffer.from(body))).status).toBe(202);
  });
});
