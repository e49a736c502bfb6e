import { afterAll, beforeAll, expect } from 'vitest';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import { realClock, send, startIngress, testConfig } from './alert-harness.ts';

/**
 * The webhook endpoints over real HTTP on a SQLite store, for a whole test file (registers its own
 * beforeAll/afterAll): where to send, the store to look in, and the check every guard test makes.
 */
export function ingressWorld() {
  let db!: OpenedStore;
  let ingress!: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    db = await testDatabase('sqlite').open();
    ingress = await startIngress({ store: db.store, config: testConfig(), clock: realClock });
  });
  afterAll(async () => {
    await ingress?.close();
    await db?.cleanup();
  });
  const deliveries = async () => (await db.store.alerts.stats()).deliveries;
  return {
    get url() {
      return ingress.url;
    },
    get store() {
      return db.store;
    },
    deliveries,
    /** Send, and check the exact status and error and that nothing was stored. */
    async rejected(
      path: string,
      body: Buffer | null,
      headers: Record<string, string>,
      status: number,
      error: RegExp,
      method = 'POST',
    ): Promise<void> {
      const before = await deliveries();
      const r = await send(ingress.url, path, body, headers, method);
      expect(r.status).toBe(status);
      expect(String(r.body.error)).toMatch(error);
      expect(await deliveries()).toBe(before);
    },
  };
}
