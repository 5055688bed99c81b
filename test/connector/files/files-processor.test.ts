// The files processor on fakes of its own two ports (Scope's GraphQL `execute`, the Salesforce FilesPort,
// both in memory) with the photos served by a real HTTP server whose signed URLs really expire (403),
// and file_copies in a real PostgreSQL: photos copied with scenario/step/time titles and linked to the
// Work Order and Case, an expired URL refreshed, a replay copying nothing twice, a failed upload
// retried, an oversized photo skipped with its reason, a session without photos costing no Salesforce call.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate } from '../../../connector/src/db/migrate.ts';
import { readFileCopyStats } from '../../../connector/src/files/file-copies.ts';
import { createFilesProcessor } from '../../../connector/src/files/files-processor.ts';
import type {
  CopyPort,
  FilesProcessorOptions
} from '../../../connector/src/files/files-processor.ts';
import { toId18 } from '../../../connector/src/mapping/salesforce-id.ts';
import { linkKey } from '../../../connector/src/salesforce/content-documents.ts';
import type {
  DocumentLink,
  SessionRecordRef
} from '../../../connector/src/salesforce/content-documents.ts';
import { SalesforceApiError } from '../../../connector/src/salesforce/salesforce-error.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';

const KEY = 'photo-store-key';
const WORK_ORDER = toId18('0WO5g000000AbCd') ?? '';
const CASE = toId18('5005g00000AbCdE') ?? '';

interface PhotoFixture {
  eventId: string;
  size: number;
  step: string;
}

/** Deterministic bytes of a photo (a PNG signature, then a hash stream). */
function photoBytes(eventId: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(out);
  let block = createHash('sha256').update(eventId).digest();
  for (let at = 8; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const sign = (id: string, expires: number) =>
  createHmac('sha256', KEY).update(`${id}:${expires}`).digest('hex');

function startPhotoStore(photos: Map<string, PhotoFixture>) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const id = decodeURIComponent(url.pathname.replace('/photos/', ''));
    const expires = Number(url.searchParams.get('expires'));
    const photo = photos.get(id);
    if (
      !photo ||
      url.searchParams.get('signature') !== sign(id, expires) ||
      expires <= Date.now()
    ) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
      );
      return;
    }
    const bytes = photoBytes(id, photo.size);
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': bytes.length
    });
    res.end(bytes);
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => server.close(() => done()))
      })
    )
  );
}

/** Scope's GraphQL answers for the two queries the processor sends; `expiresInMs` per listing. */
function fakeScope(
  base: () => string,
  sessions: Map<string, PhotoFixture[]>,
  expiresInMs: { value: number }
) {
  const node = (p: PhotoFixture) => {
    const expires = Date.now() + expiresInMs.value;
    return {
      id: p.eventId,
      createdAt: '2026-12-03T14:05:09.000Z',
      eventData: { caption: `Photo of "${p.step}"` },
      photo: {
        fileName: `photo-${p.eventId.length}.png`,
        fileContentType: 'image/png',
        fileSize: p.size,
        fileURL: `${base()}/photos/${encodeURIComponent(p.eventId)}?expires=${expires}&signature=${sign(p.eventId, expires)}`,
        fileURLExpiresAt: new Date(expires).toISOString()
      },
      scenarioSessionStep: { scenarioStep: { name: p.step } }
    };
  };
  const calls: string[] = [];
  const execute: FilesProcessorOptions['scope']['execute'] = async <T>(
    operation: string,
    _q: string,
    variables?: Record<string, unknown>
  ) => {
    calls.push(operation);
    if (operation === 'sessionPhotos') {
      const photos = sessions.get(String(variables?.sessionId)) ?? [];
      return {
        data: {
          session: null,
          page: {
            nodes: photos.map(node),
            pageInfo: { hasNextPage: false, endCursor: null }
          }
        } as T,
        errors: []
      };
    }
    const found = [...sessions.values()]
      .flat()
      .find((p) => p.eventId === variables?.id);
    // a refresh always signs for an hour
    const saved = expiresInMs.value;
    expiresInMs.value = 3_600_000;
    const event = found ? node(found) : null;
    expiresInMs.value = saved;
    return { data: { event } as T, errors: [] };
  };
  return {
    execute,
    calls,
    capabilities: async () => ({ fields: {} }) as never
  };
}

interface Stored {
  id: string;
  documentId: string;
  fields: Record<string, string>;
  bytes: Buffer;
  multipart: boolean;
}

/** The Salesforce FilesPort in memory: reads each streamed body whole, as Salesforce would. */
function fakeFiles(records: Map<string, SessionRecordRef>) {
  const versions = new Map<string, Stored>();
  const links = new Set<string>();
  const calls: string[] = [];
  const faults = { uploads: 0 };
  let n = 0;
  const port: CopyPort = {
    findCopiedPhotos: async (ids) => {
      calls.push('findCopiedPhotos');
      return new Map(
        ids.flatMap((id) => {
          const v = versions.get(id);
          return v
            ? [
                [
                  id,
                  { contentVersionId: v.id, contentDocumentId: v.documentId }
                ]
              ]
            : [];
        })
      );
    },
    findDocumentLinks: async (docs, entities) => {
      calls.push('findDocumentLinks');
      return new Set(
        [...links].filter(
          (k) =>
            docs.some((d) => k.startsWith(d)) &&
            entities.some((e) => k.endsWith(e))
        )
      );
    },
    insertDocumentLinks: async (wanted: readonly DocumentLink[]) => {
      calls.push('insertDocumentLinks');
      return wanted.map((link) => {
        const duplicate = links.has(linkKey(link));
        links.add(linkKey(link));
        return {
          link,
          success: !duplicate,
          errors: duplicate
            ? [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate' }]
            : []
        };
      });
    },
    findSessionRecords: async (ids) => {
      calls.push('findSessionRecords');
      return new Map(
        ids.flatMap((id) => {
          const r = records.get(id);
          return r ? [[id, r]] : [];
        })
      );
    },
    uploadContentVersion: async (body) => {
      calls.push('uploadFile');
      const b = await body();
      const chunks: Buffer[] = [];
      for await (const chunk of b.stream) chunks.push(Buffer.from(chunk));
      if (faults.uploads > 0) {
        faults.uploads--;
        throw new SalesforceApiError(
          'Salesforce uploadFile: SERVER_UNAVAILABLE',
          { errorCode: 'SERVER_UNAVAILABLE', status: 503 }
        );
      }
      const raw = Buffer.concat(chunks);
      const multipart = b.contentType.startsWith('multipart/');
      let fields: Record<string, string>;
      let bytes: Buffer;
      if (multipart) {
        const form = await new Response(raw, {
          headers: { 'content-type': b.contentType }
        }).formData();
        fields = JSON.parse(String(form.get('entity_content'))) as Record<
          string,
          string
        >;
        bytes = Buffer.from(
          await (form.get('VersionData') as Blob).arrayBuffer()
        );
      } else {
        const { VersionData, ...rest } = JSON.parse(raw.toString()) as Record<
          string,
          string
        >;
        fields = rest;
        bytes = Buffer.from(VersionData ?? '', 'base64');
      }
      n++;
      const id = `068${String(n).padStart(15, '0')}`;
      versions.set(fields.WorkLink_Scope_Event_Id__c ?? '', {
        id,
        documentId: `069${String(n).padStart(15, '0')}`,
        fields,
        bytes,
        multipart
      });
      return { id };
    }
  };
  return { port, versions, links, calls, faults };
}

const SESSION = 'U2NlbmFyaW9TZXNzaW9uOjQ3MTE=+/_-';
const EMPTY_SESSION = 'U2NlbmFyaW9TZXNzaW9uOjQ3MTI=';
const record: SessionRecordRef = {
  Id: 'a0B5g00000AbCdEFGH',
  Scope_Id__c: SESSION,
  Work_Order__c: WORK_ORDER,
  Case__c: CASE,
  Scenario_Name__c: 'Pompe P-100 — révision'
};

describe('files processor', () => {
  let postgres: TestPostgres;
  let store: { url: string; close(): Promise<void> };
  const photos = new Map<string, PhotoFixture>();
  const sessions = new Map<string, PhotoFixture[]>();
  before(async () => {
    postgres = await startTestPostgres();
    store = await startPhotoStore(photos);
  });
  after(async () => {
    await store.close();
    await postgres.stop();
  });

  async function setUp(
    fixtures: PhotoFixture[],
    expiresInMs = 3_600_000,
    maxBytes = 10_000_000
  ) {
    photos.clear();
    sessions.clear();
    for (const f of fixtures) photos.set(f.eventId, f);
    sessions.set(SESSION, fixtures);
    sessions.set(EMPTY_SESSION, []);
    const pool = new pg.Pool({
      connectionString: await postgres.createDatabase(),
      max: 2
    });
    await migrate(pool);
    const scope = fakeScope(() => store.url, sessions, { value: expiresInMs });
    const files = fakeFiles(new Map([[SESSION, record]]));
    const processor = createFilesProcessor({
      scope,
      salesforce: files.port,
      pool,
      maxBytes,
      base64MaxBytes: 100_000
    });
    const run = (...ids: string[]) =>
      processor.process(
        ids.map((resourceId) => ({
          resourceId,
          event: 'files',
          receivedAt: new Date().toISOString()
        }))
      );
    return { pool, scope, files, run };
  }

  const fixtures = (): PhotoFixture[] => [
    {
      eventId: 'U2NlbmFyaW9TZXNzaW9uRXZlbnQ6MQ==',
      size: 20_000,
      step: 'Überprüfung der Dichtung 🔧'
    },
    {
      eventId: 'U2NlbmFyaW9TZXNzaW9uRXZlbnQ6Mg+/_-',
      size: 250_000,
      step: 'Ventil schließen'
    }
  ];

  it('copies each photo with its title, links it to the Work Order and Case, and records it', async () => {
    const { pool, files, run } = await setUp(fixtures());
    const outcomes = await run(SESSION);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written']
    );
    assert.equal(files.versions.size, 2);
    for (const f of fixtures()) {
      const v = files.versions.get(f.eventId);
      assert.ok(v, `${f.eventId} copied`);
      assert.ok(
        v.bytes.equals(photoBytes(f.eventId, f.size)),
        'bytes unchanged'
      );
      assert.equal(v.fields.FirstPublishLocationId, record.Id);
      assert.equal(
        v.fields.Title,
        `Pompe P-100 — révision — ${f.step} — 2026-12-03 14:05 UTC`
      );
      assert.match(
        v.fields.Description ?? '',
        new RegExp(`Scope event ${f.eventId.replace(/[+/]/g, '\\$&')}`)
      );
      assert.equal(
        v.multipart,
        f.size > 100_000,
        'multipart above FILES_BASE64_MAX_BYTES'
      );
      assert.ok(
        files.links.has(`${v.documentId}|${WORK_ORDER}`) &&
          files.links.has(`${v.documentId}|${CASE}`)
      );
    }
    const stats = await readFileCopyStats(pool);
    assert.equal(stats.copied, 2);
    assert.equal(stats.copiedBytes, 270_000);
    await pool.end();
  });

  it('a replayed or repeated session copies nothing twice and adds no link', async () => {
    const { pool, files, run } = await setUp(fixtures());
    await run(SESSION);
    files.calls.length = 0;
    const again = await run(SESSION, SESSION);
    assert.deepEqual(
      again.map((o) => o.status),
      ['written']
    );
    assert.equal(files.versions.size, 2);
    assert.equal(files.calls.filter((c) => c === 'uploadFile').length, 0);
    assert.equal(
      files.calls.filter((c) => c === 'insertDocumentLinks').length,
      0
    );
    assert.equal(files.links.size, 4);
    await pool.end();
  });

  it('an expired URL is refreshed through Scope before the download', async () => {
    const { pool, files, scope, run } = await setUp(fixtures(), -1000);
    const outcomes = await run(SESSION);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['written']
    );
    assert.equal(files.versions.size, 2);
    assert.equal(scope.calls.filter((c) => c === 'photoUrl').length, 2);
    await pool.end();
  });

  it('a failed upload retries the session, and the retry copies only what is missing', async () => {
    const { pool, files, run } = await setUp(fixtures());
    files.faults.uploads = 1;
    const first = await run(SESSION);
    assert.equal(first[0]?.status, 'retry');
    assert.match(first[0]?.reason ?? '', /SERVER_UNAVAILABLE/);
    assert.equal(files.versions.size, 0);
    const second = await run(SESSION);
    assert.equal(second[0]?.status, 'written');
    assert.equal(files.versions.size, 2);
    await pool.end();
  });

  it('a photo over FILES_MAX_BYTES is skipped with the reason, the others are copied', async () => {
    const { pool, files, run } = await setUp(fixtures(), 3_600_000, 100_000);
    const outcomes = await run(SESSION);
    assert.equal(outcomes[0]?.status, 'written');
    assert.deepEqual([...files.versions.keys()], [fixtures()[0]?.eventId]);
    const stats = await readFileCopyStats(pool);
    assert.equal(stats.skipped, 1);
    assert.match(
      stats.recentlySkipped[0]?.reason ?? '',
      /250000 bytes or more, over FILES_MAX_BYTES \(100000\)/
    );
    await pool.end();
  });

  it('a session without photos costs no Salesforce call', async () => {
    const { pool, files, run } = await setUp(fixtures());
    const outcomes = await run(EMPTY_SESSION);
    assert.deepEqual(outcomes, [
      { resourceId: EMPTY_SESSION, status: 'skipped', reason: 'no photos' }
    ]);
    assert.deepEqual(files.calls, []);
    await pool.end();
  });
});
