import type { IncomingMessage } from 'node:http';

/** Largest webhook body we accept (ARCHITECTURE.md §3; real alert payloads are a few KiB). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

/**
 * Read the raw body, stopping as soon as it exceeds `cap`: a declared Content-Length over the cap
 * is refused before reading a byte, and a chunked body is dropped the moment it crosses the cap,
 * so an oversized request never sits in memory. Node discards whatever the client still sends.
 */
export function readBody(req: IncomingMessage, cap: number = MAX_WEBHOOK_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: BodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        chunks.length = 0;
        done({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onError = () => done({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
