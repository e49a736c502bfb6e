import type { Store } from '../ports/store.ts';

/** /healthz answers healthy while the store answers. */
export function storeHealth(store: Store): () => Promise<boolean> {
  return () =>
    store.ping().then(
      () => true,
      () => false,
    );
}
