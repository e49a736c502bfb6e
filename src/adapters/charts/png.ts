import { deflateSync } from 'node:zlib';

/**
 * A tiny PNG encoder for palette images (colour type 3, 8 bits per pixel), enough for charts
 * drawn in a handful of flat colours. No dependency: the format is a signature and chunks of
 * `length | type | data | CRC-32(type + data)` (PNG spec, W3C REC-PNG §5.3), with the scanlines,
 * each prefixed by a filter byte, deflated by zlib (§10).
 */

/** An indexed image: one palette index per pixel, row by row. */
export interface IndexedImage {
  width: number;
  height: number;
  /** RGB colours; at most 256 (one byte per pixel indexes them). */
  palette: readonly (readonly [number, number, number])[];
  /** width × height palette indices. */
  pixels: Uint8Array;
}

/** The 8-byte signature every PNG starts with (spec §5.2). */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42 polynomial, spec Annex D). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encode an indexed image as PNG bytes. Throws on inconsistent dimensions or palette. */
export function encodePng(img: IndexedImage): Buffer {
  const { width, height, palette, pixels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`PNG size must be positive integers, got ${width}×${height}`);
  if (pixels.length !== width * height) throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  if (palette.length < 1 || palette.length > 256)
    throw new RangeError(`a PNG palette has 1-256 colours, got ${palette.length}`);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: palette
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace

  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach(([r, g, b], i) => plte.set([r, g, b], i * 3));

  // Filter type 0 (None) on every row: flat colours deflate well without prediction.
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
