// Photos copied into Salesforce Files through both sandboxes over real HTTP, with the real clients and
// a real PostgreSQL: a session launched from a work order and written by the batch processor, then its
// files job: each photo a ContentVersion on the session record with the Scope event id, the same bytes
// Scope serves, linked to the Work Order and Case; a replay copies nothing; a URL that expires between
// the listing and the download is refreshed; a failed upload is retried; a 50 MB photo goes multipart;
// a photo over FILES_MAX_BYTES is skipped with its reason; an expired Salesforce token is refreshed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import type { BatchProcessor } from '../../../connector/src/contracts.ts';
import { migrate } from '../../../connector/src/db/migrate.ts';
import { readFileCopyStats } from '../../../connector/src/files/file-copies.ts';
import { purgeCopiedFiles } from '../../../connector/src/files/purge-files.ts';
import { createFilesProcessor } from '../../../connector/src/files/files-processor.ts';
import type { CopyPort } from '../../../connector/src/files/files-processor.ts';
import type { Execute } from '../../../connector/src/scope/index.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import {
  eventFor,
  launchLink,
  runToCompletion,
  startHarness
} from '../processing/helpers/sandboxes.ts';
import type { Harness } from '../processing/helpers/sandboxes.ts';

let h: Harness;
let postgres: TestPostgres;
let pool: pg.Pool;
before(async () => {
  postgres = await startTestPostgres();
  h = await startHarness();
});
after(async () => {
  await pool?.end();
  await h?.close();
  await postgres?.stop();
});
beforeEach(async () => {
  await pool?.end();
  pool = new pg.Pool({
    connectionString: await postgres.createDatabase(),
    max: 2
  });
  await migrate(pool);
  await h.salesforceFaults({ lockRowRate: 0, unavailable: false });
  await scopeFiles({
    urlTtlSeconds: 3600,
    photoMinBytes: 150_000,
    photoMaxBytes: 400_000,
    format: 'mixed'
  });
  await h.clearCounters();
});

async function scopeFiles(settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${h.scope.url}/sandbox/files`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings)
  });
  assert.equal(response.status, 200, await response.text());
}

/** A session launched from a seeded work order, run to completion and written by the batch processor. */
async function writtenSession(number: string) {
  const wo = await h.workOrder(number);
  const opened = await h.scope.open(
    launchLink({
      asset: 'PUMP-100',
      work_order_id: wo.Id,
      work_order_number: number
    })
  );
  await runToCompletion(h.scope);
  const [outcome] = await h.processor.process([eventFor(opened)]);
  assert.equal(outcome?.status, 'written', outcome?.reason);
  return { scopeId: opened.id, recordId: outcome?.salesforceId ?? '', wo };
}

function filesProcessor(
  options: { maxBytes?: number; execute?: Execute; salesforce?: CopyPort } = {}
): BatchProcessor {
  return createFilesProcessor({
    scope: {
      execute: options.execute ?? h.scopeClient.execute,
      capabilities: () => h.scopeClient.capabilities()
    },
    salesforce: options.salesforce ?? h.salesforceClient.files,
    pool,
    maxBytes: options.maxBytes ?? 100 * 1024 * 1024,
    base64MaxBytes: 10 * 1024 * 1024
  });
}

const run = (p: BatchProcessor, scopeId: string) =>
  p.process([
    {
      resourceId: scopeId,
      resourceType: 'ScenarioSession',
      event: 'files',
      receivedAt: new Date().toISOString()
    }
  ]);

interface Version {
  Id: string;
  ContentDocumentId: string;
  Title: string;
  PathOnClient: string;
  ContentSize: number;
  Checksum: string;
  FirstPublishLocationId: string;
  WorkLink_Scope_Event_Id__c: string;
}

const versionsOf = (recordId: string) =>
  h.salesforceClient.query<Version>(
    'test',
    `SELECT Id, ContentDocumentId, Title, PathOnClient, ContentSize, Checksum, FirstPublishLocationId, WorkLink_Scope_Event_Id__c FROM ContentVersion WHERE FirstPublishLocationId = '${recordId}'`
  );

const linksOf = (entityId: string) =>
  h.salesforceClient.query<{ ContentDocumentId: string }>(
    'test',
    `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${entityId}'`
  );

async function md5Of(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return createHash('md5')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

/** The photo events Scope lists for the session (fresh URLs). */
async function scopePhotos(scopeId: string) {
  const result = await h.scopeClient.execute<{
    e: {
      nodes: { id: string; photo: { fileURL: string; fileSize: number } }[];
    };
  }>(
    'test',
    'query($id: ID) { e: scenarioSessionEvents(first: 100, valueTypes: [PHOTO], scenarioSessionId: $id) { nodes { id photo { fileURL fileSize } } } }',
    { id: scopeId }
  );
  return result.data?.e.nodes ?? [];
}

const uploads = async () =>
  (await h.salesforceRequests()).filter(
    (r) => r.method === 'POST' && r.path.endsWith('/sobjects/ContentVersion')
  ).length;

describe('photos into Salesforce Files, through both sandboxes', () => {
  it('copies every photo onto the session, with the bytes Scope serves, linked to the Work Order and Case', async () => {
    const { scopeId, recordId, wo } = await writtenSession('00000101');
    const photos = await scopePhotos(scopeId);
    assert.ok(photos.length >= 2, 'the scenario has photo steps');
    const [outcome] = await run(filesProcessor(), scopeId);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const versions = await versionsOf(recordId);
    assert.deepEqual(
      versions.map((v) => v.WorkLink_Scope_Event_Id__c).sort(),
      photos.map((p) => p.id).sort()
    );
    for (const v of versions) {
      const photo = photos.find((p) => p.id === v.WorkLink_Scope_Event_Id__c);
      assert.equal(v.ContentSize, photo?.photo.fileSize);
      assert.match(
        v.Title,
        /^Centrifugal Pump P-100 Seal Replacement — .+ — \d{4}-\d\d-\d\d \d\d:\d\d UTC$/
      );
      assert.match(v.PathOnClient, /\.(png|jpg)$/);
      // Salesforce's Checksum is the MD5 of the stored bytes
      assert.equal(v.Checksum, await md5Of(photo?.photo.fileURL ?? ''));
    }
    const documents = versions.map((v) => v.ContentDocumentId).sort();
    // the work order and case may hold other tests' files too: each of these is linked, once
    for (const entity of [wo.Id, wo.CaseId ?? '', recordId])
      assert.deepEqual(
        (await linksOf(entity))
          .map((l) => l.ContentDocumentId)
          .filter((id) => documents.includes(id))
          .sort(),
        documents,
        `links of ${entity}`
      );
    assert.equal((await readFileCopyStats(pool)).copied, photos.length);
  });

  it('the integration user may create WorkLink_Scope_Event_Id__c on ContentVersion (what doctor checks)', async () => {
    assert.deepEqual(
      await h.salesforceClient.checkWritableFields(
        ['WorkLink_Scope_Event_Id__c'],
        'ContentVersion'
      ),
      []
    );
    assert.deepEqual(
      await h.salesforceClient.checkWritableFields(
        ['WorkLink_No_Such_Field__c'],
        'ContentVersion'
      ),
      [{ field: 'WorkLink_No_Such_Field__c', problem: 'missing' }]
    );
  });

  it('a replay uploads nothing and adds no link', async () => {
    const { scopeId, recordId, wo } = await writtenSession('00000101');
    const processor = filesProcessor();
    await run(processor, scopeId);
    const before = (await versionsOf(recordId)).length;
    await h.clearCounters();
    const [outcome] = await run(processor, scopeId);
    assert.equal(outcome?.status, 'written');
    assert.equal(await uploads(), 0);
    assert.equal((await versionsOf(recordId)).length, before);
    assert.equal(
      (await linksOf(wo.Id)).filter((l) => l.ContentDocumentId).length >=
        before,
      true
    );
    const linkInserts = (await h.salesforceRequests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/composite/sobjects')
    );
    assert.equal(linkInserts.length, 0);
  });

  it('a URL that expires between the listing and the download is refreshed by asking Scope again', async () => {
    const { scopeId, recordId } = await writtenSession('00000101');
    const asked: string[] = [];
    const execute: Execute = async (operation, query, variables) => {
      const result = await h.scopeClient.execute(operation, query, variables);
      asked.push(operation);
      // the listed URLs expire now (the sandbox's file clock moves on two hours)
      if (operation === 'sessionPhotos')
        await scopeFiles({ advanceClockSeconds: 7200 });
      return result as never;
    };
    const [outcome] = await run(filesProcessor({ execute }), scopeId);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const photos = await scopePhotos(scopeId);
    assert.equal((await versionsOf(recordId)).length, photos.length);
    assert.equal(
      asked.filter((a) => a === 'photoUrl').length,
      photos.length,
      'one refresh per photo'
    );
  });

  it('a failed upload retries the session; the retry copies the rest and never one twice', async () => {
    const { scopeId, recordId } = await writtenSession('00000101');
    const photos = await scopePhotos(scopeId);
    await h.salesforceFaults({ lockRowRate: 1 });
    const [failed] = await run(filesProcessor(), scopeId);
    assert.equal(failed?.status, 'retry');
    assert.match(failed?.reason ?? '', /UNABLE_TO_LOCK_ROW/);
    await h.salesforceFaults({ lockRowRate: 0 });
    const [retried] = await run(filesProcessor(), scopeId);
    assert.equal(retried?.status, 'written', retried?.reason);
    const versions = await versionsOf(recordId);
    assert.equal(versions.length, photos.length);
    assert.equal(
      new Set(versions.map((v) => v.WorkLink_Scope_Event_Id__c)).size,
      photos.length
    );
  });

  it('a 50 MB photo is uploaded as multipart, whole', async () => {
    await scopeFiles({
      photoMinBytes: 50 * 1024 * 1024,
      photoMaxBytes: 50 * 1024 * 1024,
      format: 'jpeg'
    });
    const { scopeId, recordId } = await writtenSession('00000102');
    const [outcome] = await run(filesProcessor(), scopeId);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    const versions = await versionsOf(recordId);
    assert.ok(versions.length >= 1);
    for (const v of versions) assert.equal(v.ContentSize, 50 * 1024 * 1024);
    const multipart = (await h.salesforceRequests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/sobjects/ContentVersion')
    );
    assert.equal(multipart.length, versions.length);
  });

  it('a photo over FILES_MAX_BYTES is skipped with its reason, nothing uploaded', async () => {
    const { scopeId, recordId } = await writtenSession('00000101');
    const photos = await scopePhotos(scopeId);
    const [outcome] = await run(filesProcessor({ maxBytes: 100_000 }), scopeId);
    assert.equal(outcome?.status, 'written');
    assert.equal((await versionsOf(recordId)).length, 0);
    assert.equal(await uploads(), 0);
    const stats = await readFileCopyStats(pool);
    assert.equal(stats.skipped, photos.length);
    assert.match(
      stats.recentlySkipped[0]?.reason ?? '',
      /over FILES_MAX_BYTES \(100000\)/
    );
  });

  it('a token that expires right before an upload is refreshed and the upload streamed again', async () => {
    const { scopeId, recordId } = await writtenSession('00000101');
    const photos = await scopePhotos(scopeId);
    const files = h.salesforceClient.files;
    let expired = false;
    const salesforce: CopyPort = {
      ...files,
      uploadContentVersion: async (body) => {
        if (!expired) {
          expired = true;
          await h.salesforceFaults({ expireTokensNow: true });
        }
        return files.uploadContentVersion(body);
      }
    };
    const [outcome] = await run(filesProcessor({ salesforce }), scopeId);
    assert.equal(outcome?.status, 'written', outcome?.reason);
    assert.equal((await versionsOf(recordId)).length, photos.length);
    const posts = (await h.salesforceRequests()).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/sobjects/ContentVersion')
    );
    assert.deepEqual(posts.map((p) => p.status).slice(0, 2), [401, 201]);
  });
  it("files purge deletes a session's copied photos (never a user's own file) and forgets them", async () => {
    const { scopeId, recordId, wo } = await writtenSession('00000101');
    await run(filesProcessor(), scopeId);
    const copied = await versionsOf(recordId);
    assert.ok(copied.length >= 2);
    // a file a user attached to the same session by hand
    const own = await h.salesforceClient.files.uploadContentVersion(
      async () => ({
        contentType: 'application/json',
        stream: (async function* () {
          yield new TextEncoder().encode(
            JSON.stringify({
              Title: 'Rapport de visite — signé',
              PathOnClient: 'rapport.txt',
              FirstPublishLocationId: recordId,
              VersionData: Buffer.from('signé ✓').toString('base64')
            })
          );
        })()
      })
    );
    const files = h.salesforceClient.files;
    const dry = await purgeCopiedFiles(
      files,
      pool,
      { scopeSessionIds: [scopeId] },
      { dryRun: true }
    );
    assert.deepEqual(dry, { found: copied.length, deleted: [], failed: [] });
    assert.equal((await versionsOf(recordId)).length, copied.length + 1);
    const purged = await purgeCopiedFiles(files, pool, {
      scopeSessionIds: [scopeId]
    });
    assert.deepEqual(
      purged.deleted.sort(),
      copied.map((v) => v.ContentDocumentId).sort()
    );
    assert.deepEqual(purged.failed, []);
    assert.deepEqual(
      (await versionsOf(recordId)).map((v) => v.Id),
      [own.id]
    );
    const stillLinked = (await linksOf(wo.Id)).filter((l) =>
      purged.deleted.includes(l.ContentDocumentId)
    );
    assert.deepEqual(stillLinked, []);
    assert.equal((await readFileCopyStats(pool)).copied, 0);
    // a replay copies them again
    const [again] = await run(filesProcessor(), scopeId);
    assert.equal(again?.status, 'written', again?.reason);
    assert.equal((await versionsOf(recordId)).length, copied.length + 1);
  });
});
