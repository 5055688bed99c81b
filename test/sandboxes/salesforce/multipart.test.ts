// The sandbox's streaming multipart reader, fed the way sockets deliver bodies: in chunks that cut
// boundaries, headers and CRLFs anywhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MalformedMultipartError,
  multipartBoundary,
  multipartEvents
} from '../../../sandboxes/salesforce/files/multipart.ts';

const BOUNDARY = 'bnd_+/=-ü';

function body(parts: Array<{ name: string; data: Buffer }>): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts)
    pieces.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="a.png"\r\nContent-Type: application/octet-stream\r\n\r\n`
      ),
      part.data,
      Buffer.from('\r\n')
    );
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}

async function* chunked(bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size)
    yield bytes.subarray(at, at + size);
}

async function read(bytes: Buffer, chunkSize: number) {
  const parts: Array<{ name: string; data: Buffer }> = [];
  for await (const event of multipartEvents(
    chunked(bytes, chunkSize),
    BOUNDARY
  )) {
    if (event.type === 'part')
      parts.push({ name: event.name, data: Buffer.alloc(0) });
    const last = parts.at(-1);
    if (event.type === 'data' && last)
      last.data = Buffer.concat([last.data, event.chunk]);
  }
  return parts;
}

describe('multipart reader', () => {
  // Binary data that contains CRLFs, dashes and most of the boundary, but never the whole delimiter.
  const tricky = Buffer.concat([
    Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}\r\n--\r\n`),
    Buffer.from([0, 255, 13, 10, 45, 45])
  ]);
  const parts = [
    { name: 'entity_content', data: Buffer.from('{"Title":"漢字 — ü"}') },
    { name: 'VersionData', data: tricky }
  ];

  for (const chunkSize of [1, 2, 3, 7, 64, 100_000]) {
    it(`reads both parts intact in ${chunkSize}-byte chunks`, async () => {
      assert.deepEqual(await read(body(parts), chunkSize), parts);
    });
  }

  it('refuses a body cut before its closing boundary', async () => {
    const cut = body(parts).subarray(0, -20);
    await assert.rejects(read(cut, 5), MalformedMultipartError);
  });

  it('reads the boundary from the Content-Type, quoted or not', () => {
    assert.equal(
      multipartBoundary('multipart/form-data; boundary="a b"'),
      'a b'
    );
    assert.equal(
      multipartBoundary('multipart/form-data; boundary=----x1; charset=utf-8'),
      '----x1'
    );
    assert.equal(multipartBoundary('application/json'), null);
    assert.equal(multipartBoundary('multipart/form-data'), null);
  });
});
