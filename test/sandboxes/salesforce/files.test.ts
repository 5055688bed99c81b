// Salesforce Files through the sandbox's REST API, as the connector uses them: ContentVersion inserts
// (JSON base64 and multipart), the ContentDocument and links they make, SOQL with Salesforce's
// restrictions, the bytes served back, sharing through links, and the purge.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SANDBOX_PASSWORD } from '../../../sandboxes/salesforce/index.ts';
import {
  API_VERSION,
  connectedSandbox,
  control,
  loginBySoap,
  rejection
} from './helpers.ts';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const EVENT_ID = 'ev+Zm9v/YmFy=-_photo-é漢字';

/** A small but real PNG: signature + IHDR, then filler the size asks for. */
function pngBytes(size: number): Buffer {
  const head = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

describe('Salesforce sandbox: Files', () => {
  const setup = connectedSandbox();
  const api = () => `${setup.sandbox.url}/services/data/v${API_VERSION}`;
  const auth = () => ({ authorization: `Bearer ${setup.conn.accessToken}` });

  async function workOrderId(offset = 0): Promise<string> {
    const rows = await setup.conn.query<{ Id: string }>(
      `SELECT Id FROM WorkOrder ORDER BY Id LIMIT 1 OFFSET ${offset}`
    );
    return rows.records[0]?.Id ?? '';
  }

  async function upload(form: FormData): Promise<Response> {
    return fetch(`${api()}/sobjects/ContentVersion`, {
      method: 'POST',
      headers: auth(),
      body: form
    });
  }

  function versionForm(
    fields: Record<string, unknown>,
    bytes: Buffer,
    names = ['entity_content', 'VersionData']
  ): FormData {
    const form = new FormData();
    form.append(
      names[0] ?? '',
      new Blob([JSON.stringify(fields)], { type: 'application/json' })
    );
    form.append(
      names[1] ?? '',
      new Blob([bytes], { type: 'application/octet-stream' }),
      String(fields.PathOnClient ?? 'file.bin')
    );
    return form;
  }

  async function versionData(id: string): Promise<Response> {
    return fetch(`${api()}/sobjects/ContentVersion/${id}/VersionData`, {
      headers: auth()
    });
  }

  const storedFiles = () => readdirSync(setup.sandbox.state.blobs.root);

  it('inserts a JSON base64 version: document, first link, size, extension, MD5, bytes back', async () => {
    const workOrder = await workOrderId();
    const bytes = pngBytes(4096);
    const used = setup.sandbox.state.limits.used;
    const created = await setup.conn.sobject('ContentVersion').create({
      Title: 'Pump inspection — étape 3 / 漢字',
      Description: 'Scenario Pump, step 3, 2026-05-01 10:00 UTC',
      PathOnClient: 'Photo-01.PNG',
      VersionData: bytes.toString('base64'),
      FirstPublishLocationId: workOrder,
      WorkLink_Scope_Event_Id__c: EVENT_ID
    });
    assert.equal(created.success, true);
    const rows = await setup.conn.query<Record<string, unknown>>(
      `SELECT Id, ContentDocumentId, Title, Description, PathOnClient, FileExtension, ContentSize, FirstPublishLocationId, WorkLink_Scope_Event_Id__c, IsLatest, CreatedDate, Checksum, FileType FROM ContentVersion WHERE WorkLink_Scope_Event_Id__c = '${EVENT_ID}'`
    );
    const version = rows.records[0] ?? {};
    assert.equal(rows.totalSize, 1);
    assert.equal(version.Id, created.id);
    assert.match(String(version.ContentDocumentId), /^069/);
    assert.equal(version.Title, 'Pump inspection — étape 3 / 漢字');
    assert.equal(version.FileExtension, 'png');
    assert.equal(version.FileType, 'PNG');
    assert.equal(version.ContentSize, 4096);
    assert.equal(version.Checksum, md5(bytes));
    assert.equal(version.IsLatest, true);
    assert.equal(version.FirstPublishLocationId, workOrder);
    const links = await setup.conn.query<Record<string, unknown>>(
      `SELECT Id, ContentDocumentId, ShareType, Visibility FROM ContentDocumentLink WHERE LinkedEntityId = '${workOrder}'`
    );
    assert.deepEqual(
      links.records.map((l) => [
        l.ContentDocumentId,
        l.ShareType,
        l.Visibility
      ]),
      [[version.ContentDocumentId, 'V', 'AllUsers']]
    );
    const served = await versionData(String(created.id));
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);
    // create, query, query, VersionData: each counts against the daily allowance
    assert.equal(setup.sandbox.state.limits.used - used, 4);
  });

  it('defaults the Title from PathOnClient and reads the document', async () => {
    const created = await setup.conn.sobject('ContentVersion').create({
      PathOnClient: 'C:\\photos\\valve.front.jpeg',
      VersionData: pngBytes(64).toString('base64')
    });
    const version = await setup.conn
      .sobject('ContentVersion')
      .retrieve(String(created.id));
    assert.equal(version.Title, 'valve.front');
    assert.equal(version.FileExtension, 'jpeg');
    assert.equal(version.FileType, 'JPG');
    const doc = await setup.conn
      .sobject('ContentDocument')
      .retrieve(String(version.ContentDocumentId));
    assert.equal(doc.Title, 'valve.front');
    assert.equal(doc.LatestPublishedVersionId, created.id);
    assert.equal(doc.ContentSize, 64);
  });

  it('inserts a multipart version (undici FormData) and streams a 50 MB file back byte for byte', async () => {
    const workOrder = await workOrderId(1);
    const bytes = pngBytes(50 * 1024 * 1024);
    const before = storedFiles().length;
    const res = await upload(
      versionForm(
        {
          Title: 'Large scan',
          PathOnClient: 'scan-50mb.png',
          FirstPublishLocationId: workOrder,
          WorkLink_Scope_Event_Id__c: 'evt-50mb'
        },
        bytes
      )
    );
    assert.equal(res.status, 201);
    const body = (await res.json()) as { id: string; success: boolean };
    assert.equal(body.success, true);
    // the bytes are on disk, one file of the exact size
    const added = storedFiles().length - before;
    assert.equal(added, 1);
    const blob = setup.sandbox.state.files.bytesOf(body.id);
    assert.equal(blob && statSync(blob.path).size, bytes.length);
    const version = await setup.conn
      .sobject('ContentVersion')
      .retrieve(body.id);
    assert.equal(version.ContentSize, bytes.length);
    assert.equal(version.Checksum, md5(bytes));
    const served = await versionData(body.id);
    assert.equal(served.headers.get('content-length'), String(bytes.length));
    assert.equal(md5(Buffer.from(await served.arrayBuffer())), md5(bytes));
  });

  it('refuses bad inserts with Salesforce errors and stores nothing', async () => {
    const count = async () =>
      (await setup.conn.query('SELECT COUNT() FROM ContentVersion')).totalSize;
    const versions = await count();
    const files = storedFiles().length;
    const missingPath = await rejection(
      setup.conn
        .sobject('ContentVersion')
        .create({ Title: 'x', VersionData: 'AAAA' })
    );
    assert.equal(missingPath.errorCode, 'REQUIRED_FIELD_MISSING');
    assert.match(missingPath.message, /PathOnClient/);
    const missingData = await rejection(
      setup.conn
        .sobject('ContentVersion')
        .create({ Title: 'x', PathOnClient: 'x.png' })
    );
    assert.equal(missingData.errorCode, 'REQUIRED_FIELD_MISSING');
    assert.match(missingData.message, /VersionData/);
    const badBase64 = await rejection(
      setup.conn.sobject('ContentVersion').create({
        PathOnClient: 'x.png',
        VersionData: 'not base64!'
      })
    );
    assert.equal(badBase64.errorCode, 'JSON_PARSER_ERROR');
    const wrongPart = await upload(
      versionForm({ PathOnClient: 'x.png' }, pngBytes(100), [
        'entity_document',
        'VersionData'
      ])
    );
    assert.equal(wrongPart.status, 400);
    assert.equal(
      ((await wrongPart.json()) as [{ errorCode: string }])[0].errorCode,
      'INVALID_MULTIPART_REQUEST'
    );
    const wrongBinary = await upload(
      versionForm({ PathOnClient: 'x.png' }, pngBytes(100), [
        'entity_content',
        'Body'
      ])
    );
    assert.equal(wrongBinary.status, 400);
    assert.match(
      ((await wrongBinary.json()) as [{ message: string }])[0].message,
      /VersionData/
    );
    const noPath = await upload(versionForm({ Title: 'x' }, pngBytes(100)));
    assert.equal(noPath.status, 400);
    assert.equal(
      ((await noPath.json()) as [{ errorCode: string }])[0].errorCode,
      'REQUIRED_FIELD_MISSING'
    );
    // 38 MB of bytes is more than 50 MB once base64-encoded: past the JSON limit
    const tooLarge = await fetch(`${api()}/sobjects/ContentVersion`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        PathOnClient: 'big.png',
        VersionData: Buffer.alloc(38 * 1024 * 1024).toString('base64')
      })
    });
    assert.equal(tooLarge.status, 413);
    assert.equal(await count(), versions);
    assert.equal(storedFiles().length, files);
  });

  it('inserts versions through sObject Collections (base64), one result per record', async () => {
    const bytes = pngBytes(2048);
    const results = await setup.conn.requestPost<
      Array<{
        id: string;
        success: boolean;
        errors: Array<{ statusCode: string }>;
      }>
    >(`/services/data/v${API_VERSION}/composite/sobjects`, {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'ContentVersion' },
          PathOnClient: 'a.png',
          VersionData: bytes.toString('base64')
        },
        {
          attributes: { type: 'ContentVersion' },
          Title: 'no path',
          VersionData: bytes.toString('base64')
        }
      ]
    });
    assert.deepEqual(
      results.map((r) => [r.success, r.errors[0]?.statusCode]),
      [
        [true, undefined],
        [false, 'REQUIRED_FIELD_MISSING']
      ]
    );
    const served = await versionData(results[0]?.id ?? '');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);
  });

  it('an upload refused by an outage stores nothing, and the retry succeeds', async () => {
    const files = storedFiles().length;
    const form = () =>
      versionForm(
        { PathOnClient: 'retry.png', WorkLink_Scope_Event_Id__c: 'evt-retry' },
        pngBytes(300_000)
      );
    await control(setup.sandbox, 'PUT', '/faults', { unavailable: true });
    const refused = await upload(form());
    await control(setup.sandbox, 'PUT', '/faults', { unavailable: false });
    assert.equal(refused.status, 503);
    assert.equal(storedFiles().length, files);
    const retried = await upload(form());
    assert.equal(retried.status, 201);
    const rows = await setup.conn.query(
      "SELECT Id FROM ContentVersion WHERE WorkLink_Scope_Event_Id__c = 'evt-retry'"
    );
    assert.equal(rows.totalSize, 1);
  });

  it('publishes to a session record and finds versions by Scope event ids in one query', async () => {
    const session = setup.sandbox.state.insertFixture(
      'Scope_AR_Session__c',
      { Scope_Id__c: 'U2NlbmFyaW9TZXNzaW9uOjE+/=' },
      true
    );
    assert.ok(session.success);
    const ids = ['ev+/=1_-é', 'ev+/=2_-漢'];
    for (const eventId of ids)
      await setup.conn.sobject('ContentVersion').create({
        PathOnClient: 'step.png',
        VersionData: pngBytes(40).toString('base64'),
        FirstPublishLocationId: session.id,
        WorkLink_Scope_Event_Id__c: eventId
      });
    const found = await setup.conn.query<{
      WorkLink_Scope_Event_Id__c: string;
    }>(
      `SELECT WorkLink_Scope_Event_Id__c FROM ContentVersion WHERE WorkLink_Scope_Event_Id__c IN ('${ids.join("', '")}', 'ev-unknown')`
    );
    assert.deepEqual(
      found.records.map((r) => r.WorkLink_Scope_Event_Id__c).sort(),
      [...ids].sort()
    );
    const links = await setup.conn.query(
      `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId IN ('${session.id}')`
    );
    assert.equal(links.totalSize, 2);
  });

  it('refuses a ContentDocumentLink query without a document or entity filter', async () => {
    const refused = await rejection(
      setup.conn.query('SELECT Id, LinkedEntityId FROM ContentDocumentLink')
    );
    assert.equal(refused.errorCode, 'MALFORMED_QUERY');
    assert.match(refused.message, /Implementation restriction/);
    const alsoRefused = await rejection(
      setup.conn.query(
        "SELECT Id FROM ContentDocumentLink WHERE ShareType = 'V'"
      )
    );
    assert.equal(alsoRefused.errorCode, 'MALFORMED_QUERY');
  });

  it('links a document once per record (REST and Collections); a duplicate is DUPLICATE_VALUE', async () => {
    const workOrder = await workOrderId(2);
    const cases = await setup.conn.query<{ Id: string }>(
      'SELECT Id FROM Case LIMIT 1'
    );
    const caseId = cases.records[0]?.Id ?? '';
    const created = await setup.conn.sobject('ContentVersion').create({
      PathOnClient: 'link.png',
      VersionData: pngBytes(32).toString('base64'),
      FirstPublishLocationId: workOrder
    });
    const version = await setup.conn
      .sobject('ContentVersion')
      .retrieve(String(created.id));
    const document = String(version.ContentDocumentId);
    const duplicate = await rejection(
      setup.conn.sobject('ContentDocumentLink').create({
        ContentDocumentId: document,
        LinkedEntityId: workOrder,
        ShareType: 'V',
        Visibility: 'AllUsers'
      })
    );
    assert.equal(duplicate.errorCode, 'DUPLICATE_VALUE');
    const results = await setup.conn.requestPost<
      Array<{ success: boolean; errors: Array<{ statusCode: string }> }>
    >(`/services/data/v${API_VERSION}/composite/sobjects`, {
      allOrNone: false,
      records: [caseId, caseId].map((id) => ({
        attributes: { type: 'ContentDocumentLink' },
        ContentDocumentId: document,
        LinkedEntityId: id,
        ShareType: 'V',
        Visibility: 'AllUsers'
      }))
    });
    assert.deepEqual(
      results.map((r) => [r.success, r.errors[0]?.statusCode]),
      [
        [true, undefined],
        [false, 'DUPLICATE_VALUE']
      ]
    );
    const links = await setup.conn.query<{ LinkedEntityId: string }>(
      `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${document}'`
    );
    assert.deepEqual(
      links.records.map((l) => l.LinkedEntityId).sort(),
      [workOrder, caseId].sort()
    );
  });

  it('shows a file to another user only through a link to a record it sees', async () => {
    const created = await setup.conn.sobject('ContentVersion').create({
      PathOnClient: 'private.png',
      VersionData: pngBytes(16).toString('base64')
    });
    const dana = await loginBySoap(
      setup.sandbox,
      'dana.reyes@worklink.sandbox',
      SANDBOX_PASSWORD
    );
    const soql = `SELECT Id FROM ContentVersion WHERE Id = '${created.id}'`;
    assert.equal((await dana.query(soql)).totalSize, 0);
    const version = await setup.conn
      .sobject('ContentVersion')
      .retrieve(String(created.id));
    await setup.conn.sobject('ContentDocumentLink').create({
      ContentDocumentId: version.ContentDocumentId,
      LinkedEntityId: await workOrderId(3),
      ShareType: 'V',
      Visibility: 'AllUsers'
    });
    assert.equal((await dana.query(soql)).totalSize, 1);
    // seeing a file is not owning it: only the owner (or an admin) deletes it
    const refused = await rejection(
      dana.sobject('ContentDocument').destroy(String(version.ContentDocumentId))
    );
    assert.equal(refused.errorCode, 'INSUFFICIENT_ACCESS_OR_READONLY');
    assert.equal((await dana.query(soql)).totalSize, 1);
  });

  it('deleting the ContentDocument purges its versions, links and bytes', async () => {
    const workOrder = await workOrderId(4);
    const created = await setup.conn.sobject('ContentVersion').create({
      PathOnClient: 'purge.png',
      VersionData: pngBytes(128).toString('base64'),
      FirstPublishLocationId: workOrder
    });
    const id = String(created.id);
    const version = await setup.conn.sobject('ContentVersion').retrieve(id);
    const blob = setup.sandbox.state.files.bytesOf(id);
    assert.ok(blob && existsSync(blob.path));
    await setup.conn
      .sobject('ContentDocument')
      .destroy(String(version.ContentDocumentId));
    const left = await setup.conn.query(
      `SELECT Id FROM ContentVersion WHERE Id = '${id}'`
    );
    assert.equal(left.totalSize, 0);
    const links = await setup.conn.query(
      `SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '${workOrder}'`
    );
    assert.equal(links.totalSize, 0);
    assert.equal(existsSync(join(blob.path)), false);
    assert.equal((await versionData(id)).status, 404);
  });
});
