import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Heroku from 'heroku-client';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { sendHerokuRequest, type SeenHeaders } from '../../src/adapters/heroku/heroku-request.ts';

/** The fake must behave like the real Platform API, or adapter tests prove nothing. */
const ACCEPT = 'application/vnd.heroku+json; version=3';
let fake: FakeHeroku;

beforeEach(async () => {
  fake = await startFakeHeroku({ apps: [{ name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' } }] });
});
afterEach(async () => fake.close());

const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${fake.url}${path}`, {
    ...init,
    headers: {
      Accept: ACCEPT,
      Authorization: `Bearer ${fake.apiKey}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });

describe('fake Heroku API', () => {
  it('refuses a missing version=3 Accept header with 406 not_acceptable', async () => {
    const res = await call('/apps/autorisen/config-vars', { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(406);
    expect(((await res.json()) as { id: string }).id).toBe('not_acceptable');
  });

  it('accepts Bearer, refuses Basic :key and a wrong key with 401 unauthorized', async () => {
    expect((await call('/apps/autorisen/config-vars')).status).toBe(200);
    const basic = `Basic ${Buffer.from(`:${fake.apiKey}`).toString('base64')}`;
    expect((await call('/apps/autorisen/config-vars', { headers: { Authorization: basic } })).status).toBe(401);
    const bad = await call('/apps/autorisen/config-vars', { headers: { Authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ id: 'unauthorized' });
    expect(bad.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
  });

  it('creates a release for each config change and none when nothing changed', async () => {
    await call('/apps/autorisen/config-vars', { method: 'PATCH', body: JSON.stringify({ FEATURE_AUTORISEN: 'true' }) });
    await call('/apps/autorisen/config-vars', { method: 'PATCH', body: JSON.stringify({ FEATURE_AUTORISEN: 'true' }) });
    await call('/apps/autorisen/config-vars', { method: 'PATCH', body: JSON.stringify({ FEATURE_AUTORISEN: null }) });
    const descriptions = fake.app('autorisen').releases.map((r) => r.description);
    expect(descriptions).toEqual([
      'Initial release',
      'Set FEATURE_AUTORISEN config vars',
      'Remove FEATURE_AUTORISEN config vars',
    ]);
    expect(fake.app('autorisen').configVars).toEqual({});
  });

  it('pages releases with Range and answers 206 + Next-Range when truncated', async () => {
    for (let i = 0; i < 4; i++) fake.changeConfigVars('autorisen', { N: String(i) });
    const res = await call('/apps/autorisen/releases', { headers: { Range: 'version ..; order=desc, max=2' } });
    expect(res.status).toBe(206);
    const page = (await res.json()) as Array<{ version: number }>;
    expect(page.map((r) => r.version)).toEqual([5, 4]);
    const next = res.headers.get('next-range');
    expect(next).toBe('version ]4..; order=desc, max=2');
    const res2 = await call('/apps/autorisen/releases', { headers: { Range: next! } });
    expect(((await res2.json()) as Array<{ version: number }>).map((r) => r.version)).toEqual([3, 2]);
    expect((await call('/apps/autorisen/releases', { headers: { Range: 'bogus ..' } })).status).toBe(416);
  });

  it('is followed to the end by heroku-client unless partial is set', async () => {
    for (let i = 0; i < 4; i++) fake.changeConfigVars('autorisen', { N: String(i) });
    const client = new Heroku({ token: fake.apiKey, host: fake.url });
    const auth = { Authorization: `Bearer ${fake.apiKey}` };
    const all = (await client.get('/apps/autorisen/releases', {
      headers: { ...auth, Range: 'version ..; order=desc, max=2' },
    })) as unknown[];
    expect(all).toHaveLength(5);
    const one = (await client.get('/apps/autorisen/releases', {
      partial: true,
      headers: { ...auth, Range: 'version ..; order=desc, max=2' },
    })) as unknown[];
    expect(one).toHaveLength(2);
  });

  it('is followed to the end by the adapter transport too, unless partial is set', async () => {
    for (let i = 0; i < 4; i++) fake.changeConfigVars('autorisen', { N: String(i) });
    const seen: SeenHeaders = { status: null, rateLimitRemaining: null, retryAfter: null };
    const ask = (partial: boolean) =>
      sendHerokuRequest(
        {
          host: fake.url,
          token: fake.apiKey,
          method: 'GET',
          path: '/apps/autorisen/releases',
          headers: { Range: 'version ..; order=desc, max=2' },
          partial,
          timeoutMs: 5_000,
        },
        seen,
      ) as Promise<Array<{ version: number }>>;
    expect((await ask(false)).map((r) => r.version)).toEqual([5, 4, 3, 2, 1]);
    expect(fake.requestsTo('GET', '/apps/autorisen/releases')).toHaveLength(3);
    expect((await ask(true)).map((r) => r.version)).toEqual([5, 4]);
    expect(seen.status).toBe(206);
  });

  it('rolls back to a release and restores its config vars', async () => {
    fake.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' });
    const v1 = fake.app('autorisen').releases[0]!;
    const res = await call('/apps/autorisen/releases', { method: 'POST', body: JSON.stringify({ release: v1.id }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ description: 'Rollback to v1', version: 3, current: true });
    expect(fake.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
  });

  it('serves release and build bodies with the schema example field set', async () => {
    const release = (await (await call('/apps/autorisen/releases/1')).json()) as object;
    const schemaRelease = JSON.parse(
      readFileSync(
        new URL('../fixtures/heroku/api_release_info.response.schema_example.json', import.meta.url),
        'utf8',
      ),
    ) as object;
    expect(Object.keys(release).sort()).toEqual(Object.keys(schemaRelease).sort());
    const build = (await (
      await call('/apps/autorisen/builds', {
        method: 'POST',
        body: JSON.stringify({ source_blob: { url: 'https://x/t.tgz', version: 'abcdef0123' } }),
      })
    ).json()) as Record<string, unknown>;
    const schemaBuild = JSON.parse(
      readFileSync(
        new URL('../fixtures/heroku/api_build_create.response.schema_example.json', import.meta.url),
        'utf8',
      ),
    ) as object;
    expect(Object.keys(build).sort()).toEqual(Object.keys(schemaBuild).sort());
    expect(build.status).toBe('pending');
    fake.completeBuild(String(build.id), 'failed', ['npm ERR! missing script: build']);
    const out = await (await fetch(String(build.output_stream_url))).text();
    expect(out).toContain('npm ERR! missing script: build');
  });

  it("serves a build's slug with the schema's slug properties and the commit it was built from", async () => {
    const created = await call('/apps/autorisen/builds', {
      method: 'POST',
      body: JSON.stringify({
        source_blob: { url: 'https://x/t.tgz', version: '4bdd992e7a1c3f5b8d0e2a4c6f8b1d3e5a7c9f0b' },
      }),
    });
    const build = fake.completeBuild(String(((await created.json()) as { id: string }).id), 'succeeded');
    const res = await call(`/apps/autorisen/slugs/${build.slugId}`);
    expect(res.status).toBe(200);
    const slug = (await res.json()) as Record<string, unknown>;
    const schema = JSON.parse(
      readFileSync(new URL('../fixtures/heroku/platform_api.schema.json', import.meta.url), 'utf8'),
    ) as { definitions: { slug: { properties: object } } };
    expect(Object.keys(slug).sort()).toEqual(Object.keys(schema.definitions.slug.properties).sort());
    expect(slug).toMatchObject({ id: build.slugId, commit: '4bdd992e7a1c3f5b8d0e2a4c6f8b1d3e5a7c9f0b' });
    const missing = await call('/apps/autorisen/slugs/01234567-89ab-cdef-0123-456789abcdef');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ id: 'not_found', message: "Couldn't find that slug.", resource: 'slug' });
  });

  it('injects faults with the real error bodies, then recovers', async () => {
    fake.fail({ status: 429, retryAfter: 7, method: 'GET' });
    const limited = await call('/apps/autorisen/config-vars');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ id: 'rate_limit' });
    expect((await call('/apps/autorisen/config-vars')).status).toBe(200);
    expect((await call('/apps/nope/config-vars')).status).toBe(404);
    expect(fake.requestsTo('GET', '/apps/autorisen/config-vars')).toHaveLength(2);
  });
});
