/** Spec servers for the `/autorisen diff` tests: tiny local apps serving FastAPI-shaped /openapi.json. */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely
export type Doc = any;

/** The FastAPI 0.110-shaped 3.1 document of test/fixtures/openapi (production's contract). */
export function productionSpec(): Doc {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/openapi/fastapi-base.json'), 'utf8'));
}

/**
 * Staging's contract: one breaking change (a new required request field), one route outside the
 * namespace and one new endpoint (non-breaking), so the full report is longer than the summary.
 */
export function stagingSpec(): Doc {
  const doc = productionSpec();
  doc.components.schemas.ItemCreate.properties.sku = { type: 'string', title: 'Sku' };
  doc.components.schemas.ItemCreate.required.push('sku');
  doc.paths['/api/other/ping'] = structuredClone(doc.paths['/health']);
  doc.paths['/api/other/ping'].get.operationId = 'ping_api_other_ping_get';
  return doc;
}

/** A local app answering GET /openapi.json with `doc` (changeable), counting requests. */
export interface SpecServer {
  url: string;
  doc: Doc;
  requests: number;
  close(): Promise<void>;
}

export async function startSpecServer(doc: Doc): Promise<SpecServer> {
  const state = { doc, requests: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/openapi.json') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    state.requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get doc() {
      return state.doc;
    },
    set doc(d: Doc) {
      state.doc = d;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
