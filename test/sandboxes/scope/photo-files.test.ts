// Photo files of the Scope sandbox: real PNG/JPEG bytes, deterministic per event and of the size
// configured, behind signed URLs that expire (403 in S3's XML shape) and are fresh on every query.
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { gql } from 'graphql-request';
import { client, postJson, withSandbox } from './helpers.ts';
import type { ScopeSandbox } from '../../../sandboxes/scope/index.ts';

interface Photo {
  id: string;
  photo: {
    fileName: string;
    fileSize: number;
    fileContentType: string;
    fileURL: string;
    fileURLExpiresAt: string;
    fileUrl: string;
  };
}

const PHOTOS = gql`
  query Photos($sessionId: ID) {
    scenarioSessionEvents(
      first: 100
      valueTypes: [PHOTO]
      scenarioSessionId: $sessionId
    ) {
      nodes {
        id
        photo {
          fileName
          fileSize
          fileContentType
          fileURL
          fileURLExpiresAt
          fileUrl
        }
      }
    }
  }
`;

/** A session with photo events (every third step is a photo). */
async function sessionWithPhotos(sandbox: ScopeSandbox): Promise<string> {
  const opened = await sandbox.open(
    'worklink://resource?action=fetch_catalog&asset=PUMP-100'
  );
  for (let step = 0; step < 6; step += 1) await sandbox.advance();
  return opened.id;
}

async function photos(sandbox: ScopeSandbox, sessionId: string) {
  const data = await client(sandbox).request<{
    scenarioSessionEvents: { nodes: Photo[] };
  }>(PHOTOS, { sessionId });
  return data.scenarioSessionEvents.nodes;
}

const download = async (url: string) => {
  const response = await fetch(url);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
};

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** Walks the PNG's chunks, checking each CRC; returns their types and the decoded IHDR. */
function readPng(bytes: Buffer) {
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  const types: string[] = [];
  const idat: Buffer[] = [];
  let at = 8;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(
      bytes.readUInt32BE(at + 8 + length),
      crc32(data, crc32(type)),
      `CRC of ${type.toString()}`
    );
    types.push(type.toString());
    if (type.toString() === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  return { types, width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

const settings = (sandbox: ScopeSandbox, body: unknown) =>
  postJson(`${sandbox.url}/sandbox/files`, body);

const SMALL = { photoMinBytes: 300_000, photoMaxBytes: 300_000 };

describe('Scope sandbox: photo files', () => {
  it('serves a real PNG of the configured size, the same bytes each time', async () => {
    await withSandbox(
      { seed: { historicalSessions: 0 }, files: SMALL },
      async (sandbox) => {
        const sessionId = await sessionWithPhotos(sandbox);
        const [first, second] = await photos(sandbox, sessionId);
        assert.ok(first && second);
        assert.match(first.photo.fileName, /^photo-\d+\.png$/);
        assert.equal(first.photo.fileContentType, 'image/png');
        assert.equal(first.photo.fileSize, 300_000);
        const { response, bytes } = await download(first.photo.fileURL);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'image/png');
        assert.equal(bytes.length, 300_000);
        const png = readPng(bytes);
        assert.equal(png.types[0], 'IHDR');
        assert.deepEqual(png.types.slice(-2), ['IDAT', 'IEND']);
        assert.equal(png.pixels.length, (png.width * 3 + 1) * png.height);
        const [refreshed] = await photos(sandbox, sessionId);
        const again = await download(refreshed?.photo.fileURL ?? '');
        assert.equal(md5(again.bytes), md5(bytes));
        const other = await download(second.photo.fileUrl);
        assert.notEqual(md5(other.bytes), md5(bytes));
      }
    );
  });

  it('serves JPEGs (comment segments make up the size) and picks sizes within the range', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 0 },
        files: {
          format: 'jpeg',
          photoMinBytes: 200_000,
          photoMaxBytes: 5_000_000
        }
      },
      async (sandbox) => {
        const nodes = await photos(sandbox, await sessionWithPhotos(sandbox));
        for (const node of nodes) {
          assert.match(node.photo.fileName, /^photo-\d+\.jpg$/);
          assert.ok(
            node.photo.fileSize >= 200_000 && node.photo.fileSize <= 5_000_000
          );
          const { response, bytes } = await download(node.photo.fileURL);
          assert.equal(response.headers.get('content-type'), 'image/jpeg');
          assert.equal(bytes.length, node.photo.fileSize);
          assert.equal(bytes.subarray(0, 2).toString('hex'), 'ffd8');
          assert.equal(bytes.subarray(-2).toString('hex'), 'ffd9');
          // markers up to the start of scan: every segment length is right
          let at = 2;
          const markers: number[] = [];
          while (bytes[at] === 0xff && bytes[at + 1] !== 0xda) {
            markers.push(bytes[at + 1] ?? 0);
            at += 2 + bytes.readUInt16BE(at + 2);
          }
          assert.equal(bytes[at + 1], 0xda, 'reaches the start of scan');
          assert.ok(markers.includes(0xfe) && markers.includes(0xc0));
        }
        const sizes = new Set(nodes.map((n) => n.photo.fileSize));
        assert.equal(sizes.size, nodes.length, 'sizes differ per event');
      }
    );
  });

  it('refuses an expired URL with 403 (S3 XML); querying again gives a fresh one', async () => {
    await withSandbox(
      {
        seed: { historicalSessions: 0 },
        files: { ...SMALL, urlTtlSeconds: 600 }
      },
      async (sandbox) => {
        const sessionId = await sessionWithPhotos(sandbox);
        const [before] = await photos(sandbox, sessionId);
        const issued = Date.parse(before?.photo.fileURLExpiresAt ?? '');
        assert.ok(
          issued > Date.now() + 590_000 && issued <= Date.now() + 600_000
        );
        assert.equal(
          (await download(before?.photo.fileURL ?? '')).response.status,
          200
        );
        const moved = await settings(sandbox, { advanceClockSeconds: 601 });
        assert.equal(moved.status, 200);
        const expired = await download(before?.photo.fileURL ?? '');
        assert.equal(expired.response.status, 403);
        assert.equal(
          expired.response.headers.get('content-type'),
          'application/xml; charset=utf-8'
        );
        const xml = expired.bytes.toString('utf8');
        assert.match(
          xml,
          /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/
        );
        assert.match(xml, /<Expires>.+<\/Expires><ServerTime>.+<\/ServerTime>/);
        const [after] = await photos(sandbox, sessionId);
        assert.notEqual(after?.photo.fileURL, before?.photo.fileURL);
        assert.ok(Date.parse(after?.photo.fileURLExpiresAt ?? '') > issued);
        const fresh = await download(after?.photo.fileURL ?? '');
        assert.equal(fresh.response.status, 200);
        assert.equal(fresh.bytes.length, 300_000);
      }
    );
  });

  it('refuses a tampered signature, a missing one and an unknown file', async () => {
    await withSandbox(
      { seed: { historicalSessions: 0 }, files: SMALL },
      async (sandbox) => {
        const [photo] = await photos(sandbox, await sessionWithPhotos(sandbox));
        const url = new URL(photo?.photo.fileURL ?? '');
        // the URL's expiry is the one fileURLExpiresAt announces
        assert.equal(
          Number(url.searchParams.get('Expires')) * 1000,
          Date.parse(photo?.photo.fileURLExpiresAt ?? '')
        );
        const later = new URL(url);
        later.searchParams.set(
          'Expires',
          String(Number(url.searchParams.get('Expires')) + 86_400)
        );
        const tampered = await download(later.toString());
        assert.equal(tampered.response.status, 403);
        assert.match(
          tampered.bytes.toString(),
          /<Code>SignatureDoesNotMatch<\/Code>/
        );
        const unsigned = await download(`${url.origin}${url.pathname}`);
        assert.equal(unsigned.response.status, 403);
        assert.match(unsigned.bytes.toString(), /<Code>AccessDenied<\/Code>/);
        const renamed = await download(url.toString().replace('.png', '.jpg'));
        assert.equal(renamed.response.status, 404);
        assert.match(renamed.bytes.toString(), /<Code>NoSuchKey<\/Code>/);
      }
    );
  });

  it('streams a 50 MB photo with the Content-Length it announces', async () => {
    await withSandbox({ seed: { historicalSessions: 0 } }, async (sandbox) => {
      const size = 50 * 1024 * 1024;
      const changed = await settings(sandbox, {
        photoMinBytes: size,
        photoMaxBytes: size
      });
      assert.equal(changed.body.photoMaxBytes, size);
      const [photo] = await photos(sandbox, await sessionWithPhotos(sandbox));
      assert.equal(photo?.photo.fileSize, size);
      const response = await fetch(photo?.photo.fileURL ?? '');
      assert.equal(response.headers.get('content-length'), String(size));
      let received = 0;
      let largestChunk = 0;
      let tail = Buffer.alloc(0);
      for await (const chunk of response.body ?? []) {
        const bytes = Buffer.from(chunk as Uint8Array);
        received += bytes.length;
        largestChunk = Math.max(largestChunk, bytes.length);
        tail = Buffer.concat([tail, bytes]).subarray(-12);
      }
      assert.equal(received, size);
      assert.equal(tail.subarray(4, 8).toString(), 'IEND');
      assert.ok(
        largestChunk < 1024 * 1024,
        `chunks stay small (${largestChunk} bytes)`
      );
    });
  });

  it('refuses bad control bodies and changes nothing', async () => {
    await withSandbox(
      { seed: { historicalSessions: 0 }, files: SMALL },
      async (sandbox) => {
        const before = await fetch(`${sandbox.url}/sandbox/files`).then((r) =>
          r.json()
        );
        for (const body of [
          { urlTtlSeconds: -1 },
          { photoMinBytes: 10, photoMaxBytes: 5 },
          { format: 'gif' },
          { unknown: true }
        ]) {
          const refused = await settings(sandbox, body);
          assert.equal(refused.status, 400, JSON.stringify(body));
        }
        const after = await fetch(`${sandbox.url}/sandbox/files`).then((r) =>
          r.json()
        );
        assert.deepEqual(after, before);
      }
    );
  });
});
