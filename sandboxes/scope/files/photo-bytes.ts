// Real, deterministic image bytes for every photo event, of any size, produced as a stream: a small
// picture (PNG: a gradient in the event's own colours; JPEG: a fixed gradient) grown to the event's
// size with segments decoders skip (a private ancillary PNG chunk, JPEG comment segments). Padding is
// written 64 KB at a time, so a 50 MB photo never exists in memory.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { BASE_JPEG } from './jpeg-base.ts';

export type PhotoFormat = 'png' | 'jpeg';

export interface PhotoSpec {
  readonly databaseId: number;
  readonly format: PhotoFormat;
  readonly size: number;
  readonly fileName: string;
  readonly contentType: string;
}

export interface PhotoSettings {
  format: PhotoFormat | 'mixed';
  photoMinBytes: number;
  photoMaxBytes: number;
}

const BLOCK = 64 * 1024;
const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
/** A private, ancillary, safe-to-copy chunk type: PNG decoders skip it. */
const PNG_PADDING_TYPE = Buffer.from('wlPd');
const PNG_CHUNK_OVERHEAD = 12;
const JPEG_SEGMENT_OVERHEAD = 4;
const JPEG_SEGMENT_MAX = 65_533;
const WIDTH = 160;
const HEIGHT = 120;

const digest = (databaseId: number): Buffer =>
  createHash('sha256').update(`scope-photo-${databaseId}`).digest();

function pngChunk(type: string | Buffer, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  Buffer.from(type).copy(head, 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Signature + IHDR, and IDAT + IEND, of the event's picture (a two-colour gradient). */
function pngParts(databaseId: number): { head: Buffer; tail: Buffer } {
  const [r0 = 0, g0 = 0, b0 = 0, r1 = 0, g1 = 0, b1 = 0] = digest(databaseId);
  const raw = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1);
    for (let x = 0; x < WIDTH; x++) {
      const t = (x + y) / (WIDTH + HEIGHT);
      const stripe = (x >> 4) % 2 === 0 ? 1 : 0.85;
      raw[row + 1 + x * 3] = Math.round((r0 + (r1 - r0) * t) * stripe);
      raw[row + 2 + x * 3] = Math.round((g0 + (g1 - g0) * t) * stripe);
      raw[row + 3 + x * 3] = Math.round((b0 + (b1 - b0) * t) * stripe);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(WIDTH, 0);
  ihdr.writeUInt32BE(HEIGHT, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  return {
    head: Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]),
    tail: Buffer.concat([
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', Buffer.alloc(0))
    ])
  };
}

const pngBaseSizes = new Map<number, number>();
function pngBaseSize(databaseId: number): number {
  let size = pngBaseSizes.get(databaseId);
  if (size === undefined) {
    const { head, tail } = pngParts(databaseId);
    size = head.length + tail.length;
    if (pngBaseSizes.size > 10_000) pngBaseSizes.clear();
    pngBaseSizes.set(databaseId, size);
  }
  return size;
}

/** The format, exact size and name of an event's photo under the current settings. */
export function photoSpec(
  databaseId: number,
  settings: PhotoSettings
): PhotoSpec {
  const format: PhotoFormat =
    settings.format === 'mixed'
      ? databaseId % 2 === 0
        ? 'png'
        : 'jpeg'
      : settings.format;
  const span = Math.max(0, settings.photoMaxBytes - settings.photoMinBytes);
  const wanted =
    settings.photoMinBytes + (digest(databaseId).readUInt32BE(8) % (span + 1));
  const base = format === 'png' ? pngBaseSize(databaseId) : BASE_JPEG.length;
  const overhead =
    format === 'png' ? PNG_CHUNK_OVERHEAD : JPEG_SEGMENT_OVERHEAD;
  // Padding shorter than one empty segment cannot be written: such a photo stays at its base size.
  const size = wanted - base >= overhead ? wanted : base;
  const extension = format === 'png' ? 'png' : 'jpg';
  return {
    databaseId,
    format,
    size,
    fileName: `photo-${databaseId}.${extension}`,
    contentType: format === 'png' ? 'image/png' : 'image/jpeg'
  };
}

/** 64 KB of the event's filler bytes, reused for every padding segment. */
function fillerBlock(databaseId: number): Buffer {
  const seed = digest(databaseId);
  const block = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i += seed.length) seed.copy(block, i);
  return block;
}

function* pngPadding(databaseId: number, padding: number): Generator<Buffer> {
  const filler = fillerBlock(databaseId);
  let left = padding;
  while (left > 0) {
    // Each chunk carries up to 64 KB; the last one takes what remains (never less than its overhead).
    let data = Math.min(BLOCK, left - PNG_CHUNK_OVERHEAD);
    if (
      left - (data + PNG_CHUNK_OVERHEAD) > 0 &&
      left - (data + PNG_CHUNK_OVERHEAD) < PNG_CHUNK_OVERHEAD
    )
      data -= PNG_CHUNK_OVERHEAD;
    yield pngChunk(PNG_PADDING_TYPE, filler.subarray(0, data));
    left -= data + PNG_CHUNK_OVERHEAD;
  }
}

function* jpegPadding(databaseId: number, padding: number): Generator<Buffer> {
  const filler = fillerBlock(databaseId);
  let left = padding;
  while (left > 0) {
    let data = Math.min(JPEG_SEGMENT_MAX, left - JPEG_SEGMENT_OVERHEAD);
    if (
      left - (data + JPEG_SEGMENT_OVERHEAD) > 0 &&
      left - (data + JPEG_SEGMENT_OVERHEAD) < JPEG_SEGMENT_OVERHEAD
    )
      data -= JPEG_SEGMENT_OVERHEAD;
    const head = Buffer.from([0xff, 0xfe, 0, 0]);
    head.writeUInt16BE(data + 2, 2);
    yield Buffer.concat([head, filler.subarray(0, data)]);
    left -= data + JPEG_SEGMENT_OVERHEAD;
  }
}

function* photoChunks(spec: PhotoSpec): Generator<Buffer> {
  if (spec.format === 'png') {
    const { head, tail } = pngParts(spec.databaseId);
    yield head;
    yield* pngPadding(spec.databaseId, spec.size - head.length - tail.length);
    yield tail;
    return;
  }
  yield BASE_JPEG.subarray(0, 2); // SOI
  yield* jpegPadding(spec.databaseId, spec.size - BASE_JPEG.length);
  yield BASE_JPEG.subarray(2);
}

/** The photo's bytes, generated as they are read (backpressure from the consumer). */
export function photoStream(spec: PhotoSpec): Readable {
  return Readable.from(photoChunks(spec), { objectMode: false });
}
