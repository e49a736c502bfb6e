import { Writable } from 'node:stream';

/** A stream that keeps every chunk written to it as a line (a logger's destination in tests). */
export function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}
