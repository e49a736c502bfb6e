import type { Alert } from '../../src/core/alerts/alerts.ts';
import type { AlertGroup } from '../../src/ports/stores/alerts.ts';

/** A Sentry alert on production, as the normaliser makes one; `over` changes any field. */
export function testSentryAlert(over: Partial<Alert> = {}): Alert {
  return {
    source: 'sentry',
    env: 'production',
    severity: 'error',
    title: 'ReferenceError: heck is not defined',
    detail: null,
    status: 'firing',
    fingerprint: 'sentry:issue:1',
    project: 'capecraft',
    links: [],
    labels: {},
    resolvedBy: null,
    ...over,
  };
}

/**
 * An open alert group as the store holds it after its first delivery (nothing acknowledged,
 * silenced or posted yet), for tests that render one without a store; `over` changes any field.
 */
export function alertGroup(alert: Alert, at: number, over: Partial<AlertGroup> = {}): AlertGroup {
  return {
    ...alert,
    alert,
    channel: 'C1',
    count: 1,
    firstSeen: at,
    lastSeen: at,
    resolvedAt: null,
    resolvedBy: null,
    ackedBy: null,
    ackedAt: null,
    silencedUntil: null,
    silencedBy: null,
    context: null,
    messageTs: null,
    digestId: null,
    version: 1,
    syncedVersion: 0,
    syncedCount: 0,
    shownSilence: null,
    ...over,
  };
}
