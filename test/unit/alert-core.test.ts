import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeContext } from '../../src/core/alerts/context.ts';
import { parseSilenceValue, renderDigest, silenceValue } from '../../src/core/alerts/messages.ts';
import { normalise } from '../../src/core/alerts/normalise.ts';
import type { HerokuPayload, PromPayload, SentryPayload } from '../../src/core/alerts/payloads.ts';
import { routeAlert, type EnvRef } from '../../src/core/alerts/alerts.ts';

/** Pure normalisation and routing over the real fixtures (sources in test/fixtures/README.md). */
const json = (p: string) => JSON.parse(readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8')) as unknown;
const envs: EnvRef[] = [
  { name: 'staging', aliases: ['stage'], herokuApp: 'zkmf2024-server-staging', deployChannel: 'CSTG' },
  { name: 'production', aliases: ['prod', 'front-end'], herokuApp: 'my-app', deployChannel: 'CPRD' },
];
const ctx = { envs, now: 0 };

describe('normalise', () => {
  it('Sentry issue alert → firing alert keyed by issue, env from the project slug', () => {
    const n = normalise(
      {
        source: 'sentry',
        resource: 'event_alert',
        body: json('sentry/event_alert_triggered.docs.json') as SentryPayload,
      },
      ctx,
    );
    expect(n.alerts).toMatchObject([
      {
        fingerprint: 'sentry:issue:1117540176',
        env: 'production',
        severity: 'error',
        status: 'firing',
        title: 'ReferenceError: heck is not defined',
        project: 'front-end',
      },
    ]);
  });
  it('Sentry metric alert resolved → resolved, by Sentry', () => {
    const n = normalise(
      {
        source: 'sentry',
        resource: 'metric_alert',
        body: json('sentry/metric_alert_resolved.docs.json') as SentryPayload,
      },
      ctx,
    );
    expect(n.alerts).toMatchObject([
      { fingerprint: 'sentry:metric:4', status: 'resolved', resolvedBy: 'Sentry', title: 'Too many errors' },
    ]);
  });
  it('Sentry installation → nothing to post', () => {
    const body = {
      action: 'created',
      data: json('sentry/installation_created.data_only.sentry_test.json'),
    } as SentryPayload;
    expect(normalise({ source: 'sentry', resource: 'installation', body }, ctx)).toMatchObject({
      alerts: [],
      ignored: 'installation created',
    });
  });
  it('Alertmanager without per-alert fingerprints derives stable ones from labels', () => {
    const body = json('alertmanager/webhook_v4_firing_1_alert.prometheus_msteams.json') as PromPayload;
    const a = normalise({ source: 'alertmanager', body }, ctx).alerts;
    const b = normalise({ source: 'alertmanager', body }, ctx).alerts;
    expect(a.length).toBeGreaterThan(0);
    expect(a[0]!.fingerprint).toMatch(/^alertmanager:alert:[0-9a-f]{16}$/);
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
  });
  it('Grafana → one alert per alert with dashboard/silence links', () => {
    const n = normalise(
      { source: 'grafana', body: json('grafana/webhook_v1_firing.grafana_docs.json') as PromPayload },
      ctx,
    );
    expect(n.alerts.map((x) => x.fingerprint)).toEqual([
      'grafana:alert:c6eadffa33fcdf37',
      'grafana:alert:bc97ff14869b13e3',
    ]);
    expect(n.alerts[0]!.links.map((l) => l.label)).toContain('Silence in Grafana');
  });
  it('Heroku release update → notice + change; create → ignored; crashed dyno → alert; starting dyno → ignored', () => {
    const rel = normalise(
      { source: 'heroku', body: json('heroku/webhook_api_release_update.real_redacted.json') as HerokuPayload },
      ctx,
    );
    expect(rel.notices[0]).toMatchObject({
      env: 'production',
      kind: 'release',
      text: 'Release v6644 of my-app (production): Deploy 69eec518 by hodor@unsplash.com — succeeded',
    });
    expect(rel.changes[0]).toMatchObject({ env: 'production', kind: 'deploy', version: 6644, commit: '69eec51' });
    expect(
      normalise(
        { source: 'heroku', body: json('heroku/webhook_api_release_create.devcenter.json') as HerokuPayload },
        ctx,
      ).ignored,
    ).toBe('release create');
    const crash = normalise(
      { source: 'heroku', body: json('heroku/webhook_dyno_destroy_crashed.real_redacted.json') as HerokuPayload },
      ctx,
    );
    expect(crash.alerts[0]).toMatchObject({
      source: 'heroku',
      env: 'production',
      fingerprint: 'heroku:dyno-crash:my-app:scheduler',
    });
    expect(
      normalise(
        { source: 'heroku', body: json('heroku/webhook_dyno_create_starting.real_redacted.json') as HerokuPayload },
        ctx,
      ).alerts,
    ).toEqual([]);
  });
});

describe('routing', () => {
  const routes = [
    { source: 'sentry', env: 'production', channel: 'CSENTRY' },
    { severity: 'critical', channel: 'CONCALL' },
  ];
  it('first matching rule, then the deploy channel for Heroku, then the default', () => {
    expect(
      routeAlert({ source: 'sentry', env: 'production', severity: 'critical', project: null }, routes, envs, 'CDEF'),
    ).toEqual({ channel: 'CSENTRY', because: 'routes[0]' });
    expect(
      routeAlert({ source: 'grafana', env: null, severity: 'critical', project: null }, routes, envs, 'CDEF').channel,
    ).toBe('CONCALL');
    expect(
      routeAlert({ source: 'heroku', env: 'staging', severity: 'error', project: null }, routes, envs, 'CDEF').channel,
    ).toBe('CSTG');
    expect(
      routeAlert({ source: 'sentry', env: 'staging', severity: 'error', project: null }, routes, envs, 'CDEF').channel,
    ).toBe('CDEF');
    expect(
      routeAlert({ source: 'sentry', env: 'staging', severity: 'error', project: null }, routes, envs, null),
    ).toEqual({ channel: null, because: 'none' });
  });
});

describe('context line and buttons', () => {
  it('says which deploy and flag change an alert came after, within the window only', () => {
    const at = Date.UTC(2026, 0, 1, 12, 0);
    const changes = [
      {
        env: 'production',
        kind: 'deploy' as const,
        at: at - 12 * 60_000,
        version: 664,
        commit: '3f2a1c',
        actor: '@ana',
        description: 'Deploy 3f2a1c',
      },
      {
        env: 'production',
        kind: 'flag' as const,
        at: at - 5 * 60_000,
        version: 665,
        commit: null,
        actor: 'U0BEN0001',
        description: 'on',
      },
      {
        env: 'production',
        kind: 'deploy' as const,
        at: at - 90 * 60_000,
        version: 660,
        commit: 'aaaaaaa',
        actor: '@old',
        description: 'Deploy aaaaaaa',
      },
    ];
    expect(describeContext(changes, at, 60)).toBe(
      '12 min after v664 (deploy of 3f2a1c by @ana); FEATURE_AUTORISEN turned on 5 min ago by <@U0BEN0001>',
    );
    expect(describeContext(changes, at, 3)).toBeNull();
  });
  it('round-trips silence values and refuses unknown durations', () => {
    expect(parseSilenceValue(silenceValue('sentry:issue:1', 4))).toEqual({ hours: 4, fingerprint: 'sentry:issue:1' });
    expect(parseSilenceValue('5h|x')).toBeNull();
  });
  it('a digest counts every event of its alerts', () => {
    const g = (count: number) =>
      ({ count, status: 'firing', severity: 'error', title: 't', env: null, ackedBy: null }) as never;
    const digest = renderDigest({ top: [g(4), g(3)], groups: 40, events: 107, firing: 39 }, 0, 0);
    expect(digest.text).toContain('40 alerts (107 events, 39 still firing)');
    expect(JSON.stringify(digest.blocks)).toContain('…and 38 more.');
  });
});
