import { inflateSync } from 'node:zlib';

/**
 * A minimal PNG reader for tests: walks the chunks, checks each CRC-32 with a bitwise CRC written
 * independently of the encoder's table-driven one, inflates IDAT with zlib and undoes filter 0.
 * Only what our encoder writes (8-bit palette, no interlace); anything else throws.
 */
export interface DecodedPng {
  width: number;
  height: number;
  chunkTypes: string[];
  palette: [number, number, number][];
  /** Palette index per pixel, row by row. */
  pixels: Uint8Array;
  /** Palette index at (x, y). */
  at(x: number, y: number): number;
  /** RGB at (x, y). */
  rgb(x: number, y: number): [number, number, number];
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function bitwiseCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function decodePng(buf: Buffer): DecodedPng {
  if (!SIGNATURE.every((b, i) => buf[i] === b)) throw new Error('not a PNG: bad signature');
  let off = 8;
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  const palette: [number, number, number][] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    const crc = buf.readUInt32BE(off + 8 + len);
    if (bitwiseCrc32(buf.subarray(off + 4, off + 8 + len)) !== crc) throw new Error(`bad CRC in ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = Buffer.from(data);
    if (type === 'PLTE') for (let i = 0; i < data.length; i += 3) palette.push([data[i]!, data[i + 1]!, data[i + 2]!]);
    if (type === 'IDAT') idat.push(Buffer.from(data));
    off += 12 + len;
    if (type === 'IEND') break;
  }
  if (off !== buf.length) throw new Error('bytes after IEND');
  if (!ihdr) throw new Error('no IHDR');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  if (ihdr[8] !== 8 || ihdr[9] !== 3 || ihdr[12] !== 0)
    throw new Error('only 8-bit palette, non-interlaced PNGs are supported here');
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (width + 1))
    throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (width + 1)}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (width + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (width + 1)]}`);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return {
    width,
    height,
    chunkTypes,
    palette,
    pixels,
    at: (x, y) => pixels[y * width + x]!,
    rgb: (x, y) => palette[pixels[y * width + x]!]!,
  };
}
