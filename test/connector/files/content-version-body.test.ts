// The streamed ContentVersion bodies: base64 encoded chunk by chunk equals the whole file's base64
// whatever the chunk boundaries, the JSON body parses to the fields plus VersionData, the multipart
// body holds the entity_content JSON and the bytes unchanged, and each declared length is exact.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  base64Chunks,
  jsonBody,
  multipartBody
} from '../../../connector/src/salesforce/content-version-body.ts';
import type { ContentVersionFields } from '../../../connector/src/salesforce/content-version-body.ts';

async function* chunked(bytes: Buffer, sizes: number[]) {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield new Uint8Array(bytes.subarray(at, at + size));
    at += size;
  }
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

const FIELDS: ContentVersionFields = {
  Title: 'Pump “P-100” inspection — Étape 3 — 2026-12-03 14:05 UTC',
  Description: 'Photo taken in Scope AR WorkLink; step "Überprüfung 🔧"',
  PathOnClient: 'photo-4711.png',
  FirstPublishLocationId: 'a0B5g00000AbCdEFGH',
  WorkLink_Scope_Event_Id__c: 'U2NlbmFyaW9TZXNzaW9uRXZlbnQ6NDcxMQ==+/_-'
};

describe('ContentVersion bodies', () => {
  it('encodes base64 chunk by chunk exactly as the whole file encodes', async () => {
    for (const length of [0, 1, 2, 3, 4, 1000, 65_537]) {
      const bytes = randomBytes(length);
      for (const sizes of [[1], [2, 5], [3], [7, 1, 64], [65_536]]) {
        const encoded = await collect(base64Chunks(chunked(bytes, sizes)));
        assert.equal(
          encoded.toString(),
          bytes.toString('base64'),
          `${length} bytes in ${sizes.join('/')}`
        );
      }
    }
  });

  it('a JSON body parses to the fields with VersionData, and its length is exact', async () => {
    const bytes = randomBytes(10_001);
    const body = jsonBody(FIELDS, chunked(bytes, [4096]), bytes.length);
    const text = await collect(body.stream);
    assert.equal(body.contentType, 'application/json');
    assert.equal(body.length, text.length);
    const parsed = JSON.parse(text.toString('utf8')) as Record<string, string>;
    assert.deepEqual(
      { ...parsed, VersionData: undefined },
      { ...FIELDS, VersionData: undefined }
    );
    assert.ok(Buffer.from(parsed.VersionData ?? '', 'base64').equals(bytes));
  });

  it('a multipart body holds entity_content and the unchanged bytes, and its length is exact', async () => {
    const bytes = randomBytes(70_000);
    const body = multipartBody(
      FIELDS,
      chunked(bytes, [1000, 3]),
      'image/png',
      bytes.length
    );
    const raw = await collect(body.stream);
    assert.equal(body.length, raw.length);
    const boundary = /boundary=(\S+)/.exec(body.contentType)?.[1] ?? '';
    assert.match(boundary, /^worklink_[0-9a-f]{32}$/);
    const response = new Response(raw, {
      headers: { 'content-type': body.contentType }
    });
    const form = await response.formData();
    assert.deepEqual(JSON.parse(String(form.get('entity_content'))), FIELDS);
    const file = form.get('VersionData') as Blob;
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(bytes));
    assert.equal(file.type, 'image/png');
  });

  it('without a known size neither body declares a length (it goes chunked)', () => {
    assert.equal(
      jsonBody(FIELDS, chunked(Buffer.alloc(1), [1])).length,
      undefined
    );
    assert.equal(
      multipartBody(FIELDS, chunked(Buffer.alloc(1), [1]), 'image/jpeg').length,
      undefined
    );
  });
});
