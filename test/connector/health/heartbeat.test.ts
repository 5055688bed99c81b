// The heartbeat: its throttling against an injected clock, and the record it writes through the real
// Salesforce sandbox (schema and field-level security from force-app), from the state of a real
// PostgreSQL queue and the process's own counters.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../connector/src/config.ts';
import { SQL } from '../../../connector/src/db/sql.ts';
import {
  CONNECTOR_VERSION,
  createConnectorHeartbeat
} from '../../../connector/src/health/connector-heartbeat.ts';
import { createHeartbeat } from '../../../connector/src/health/heartbeat.ts';
import type { HeartbeatOptions } from '../../../connector/src/health/heartbeat.ts';
import type {
  ConnectorState,
  HeartbeatRecord
} from '../../../connector/src/health/heartbeat-record.ts';
import { createMetrics } from '../../../connector/src/metrics.ts';
import { RESOURCE_QUEUE } from '../../../connector/src/queue/resource-queue.ts';
import { startSalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import type { SalesforceSandbox } from '../../../sandboxes/salesforce/index.ts';
import { startTestPostgres } from '../../support/postgres.ts';
import type { TestPostgres } from '../../support/postgres.ts';
import { startMigratedQueue } from '../queue/support/migrated-queue.ts';
import type { MigratedQueue } from '../queue/support/migrated-queue.ts';

const MINUTE = 60_000;

function state(overrides: Partial<ConnectorState> = {}): ConnectorState {
  return {
    deploymentId: 'acme-prod',
    version: '0.1.0',
    startedAt: new Date('2026-12-03T08:00:00Z'),
    lastDeliveryAt: new Date('2026-12-03T08:59:00Z'),
    acceptedLastHour: 12,
    rejectedLastHour: { signature: 2 },
    signatureFailuresPriorHour: 0,
    queueDepth: 0,
    oldestPendingAt: null,
    deadLetters: 0,
    lastSync: null,
    apiUsage: { used: 1000, max: 100_000 },
    scope: { state: 'OK', lastError: null },
    salesforce: { state: 'OK', lastError: null },
    setup: null,
    ...overrides
  };
}

/** A heartbeat on a fake clock whose state and writes the test controls. */
function harness(overrides: Partial<HeartbeatOptions> = {}) {
  let clock = Date.parse('2026-12-03T09:00:00Z');
  let current = state();
  let failWrites = false;
  const writes: HeartbeatRecord[] = [];
  let collects = 0;
  const heartbeat = createHeartbeat({
    collect: async () => {
      collects += 1;
      return current;
    },
    write: async (record) => {
      heartbeat.countCall();
      if (failWrites) throw new Error('503 Service Unavailable');
      writes.push(record);
    },
    now: () => clock,
    ...overrides
  });
  return {
    heartbeat,
    writes,
    collects: () => collects,
    advance: (ms: number) => (clock += ms),
    setState: (next: Partial<ConnectorState>) => (current = state(next)),
    failWrites: (on: boolean) => (failWrites = on)
  };
}

describe('heartbeat throttling (injected clock)', () => {
  it('writes at once, then at most once a minute and only when something changed', async () => {
    const h = harness();
    assert.equal(await h.heartbeat.tick(), 'written');
    h.advance(30_000);
    h.setState({ queueDepth: 5 });
    assert.equal(await h.heartbeat.tick(), 'throttled');
    assert.equal(h.collects(), 1, 'a throttled tick reads nothing');
    h.advance(30_000);
    assert.equal(await h.heartbeat.tick(), 'written', 'changed, a minute on');
    assert.equal(h.writes[1]?.Queue_Depth__c, 5);
    h.advance(MINUTE);
    assert.equal(await h.heartbeat.tick(), 'unchanged');
    assert.equal(h.writes.length, 2);
  });

  it('writes an unchanged state again after 10 minutes, so the Health page sees it alive', async () => {
    const h = harness();
    await h.heartbeat.tick();
    for (let minute = 1; minute < 10; minute += 1) {
      h.advance(MINUTE);
      assert.equal(await h.heartbeat.tick(), 'unchanged', `minute ${minute}`);
    }
    h.advance(MINUTE);
    assert.equal(await h.heartbeat.tick(), 'written');
    assert.equal(h.writes[1]?.Last_Heartbeat_At__c, '2026-12-03T09:10:00.000Z');
  });

  it("does not count the heartbeat's own API calls as a change", async () => {
    const h = harness();
    await h.heartbeat.tick();
    h.advance(MINUTE);
    h.setState({ apiUsage: { used: 1003, max: 100_000 } });
    assert.equal(await h.heartbeat.tick(), 'unchanged');
    h.advance(MINUTE);
    h.setState({ apiUsage: { used: 2000, max: 100_000 } });
    assert.equal(await h.heartbeat.tick(), 'written', 'a whole percent more');
  });

  it('stays within 1,500 calls a day however often it is ticked, and within 1,440 writes at one a minute', async () => {
    const h = harness();
    let written = 0;
    for (let second = 0; second < 86_400; second += 10) {
      h.setState({ queueDepth: second }); // something changes every tick
      if ((await h.heartbeat.tick()) === 'written') written += 1;
      h.advance(10_000);
    }
    assert.equal(written, 1440);
    assert.ok(
      h.writes.every((w) => Number(w.Heartbeat_Calls_Today__c) <= 1500)
    );
  });

  it('stops at its daily call budget until the next UTC day', async () => {
    const h = harness({ dailyCallBudget: 3 });
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) {
      h.setState({ queueDepth: i });
      outcomes.push(await h.heartbeat.tick());
      h.advance(MINUTE);
    }
    assert.deepEqual(outcomes, [
      'written',
      'written',
      'written',
      'over-budget',
      'over-budget'
    ]);
    h.advance(24 * 60 * MINUTE);
    assert.equal(await h.heartbeat.tick(), 'written');
    assert.equal(h.writes.at(-1)?.Heartbeat_Calls_Today__c, 1);
  });

  it('after a failed write waits a full interval before trying again', async () => {
    const h = harness();
    h.failWrites(true);
    assert.equal(await h.heartbeat.tick(), 'failed');
    h.failWrites(false);
    h.advance(20_000);
    assert.equal(await h.heartbeat.tick(), 'throttled');
    h.advance(40_000);
    assert.equal(await h.heartbeat.tick(), 'written');
    assert.equal(h.heartbeat.callsToday(), 2, 'both attempts are counted');
  });
});

describe(
  'heartbeat through the Salesforce sandbox and a real queue',
  { timeout: 120_000 },
  () => {
    let postgres: TestPostgres;
    let queue: MigratedQueue;
    let salesforce: SalesforceSandbox;
    before(async () => {
      [postgres, salesforce] = await Promise.all([
        startTestPostgres(),
        startSalesforceSandbox({ port: 0, seed: false })
      ]);
      queue = await startMigratedQueue(postgres, 4);
    });
    after(async () => {
      await queue?.boss.stop({ graceful: false, close: false });
      await queue?.pool.end();
      await Promise.all([postgres?.stop(), salesforce?.close()]);
    });

    const config = () =>
      loadConfig({
        SF_LOGIN_URL: salesforce.url,
        SF_CLIENT_ID: salesforce.clientId,
        SF_USERNAME: salesforce.username,
        SF_PRIVATE_KEY: salesforce.jwtPrivateKeyPem,
        SF_API_VERSION: salesforce.apiVersion,
        HEARTBEAT_DEPLOYMENT_ID: 'acme-prod'
      });
    const statusRecords = async () =>
      (await (
        await fetch(
          `${salesforce.url}/sandbox/records/WorkLink_Connector_Status__c`
        )
      ).json()) as Record<string, unknown>[];
    const requests = async () =>
      (await (await fetch(`${salesforce.url}/sandbox/requests`)).json()) as {
        method: string;
        path: string;
        status: number;
      }[];

    it('upserts one record per deployment with what the connector observed, and no secret', async () => {
      await queue.pool.query(SQL.insertDeliveries, [
        JSON.stringify(
          ['d1', 'd2', 'd3'].map((id) => ({
            delivery_id: id,
            generation: 2,
            resource_id: `r-${id}`,
            resource_type: 'ScenarioSession',
            event: 'updated',
            topic: null,
            headers: {},
            body: {},
            node: null,
            sent_at: null
          }))
        )
      ]);
      await queue.pool.query(SQL.upsertDeadLetter, [
        'r-dead',
        'ScenarioSession',
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        1,
        RESOURCE_QUEUE
      ]);
      await queue.boss.send(RESOURCE_QUEUE, { resourceId: 'r-waiting' });
      const metrics = createMetrics({ defaultMetrics: false });
      metrics.delivery('accepted', 3);
      metrics.delivery('rejected_signature', 2);
      metrics.delivery('rejected_malformed');
      metrics.apiCall('scope', 'fetchNodes', 401);
      await fetch(`${salesforce.url}/sandbox/requests`, { method: 'DELETE' });

      const heartbeat = createConnectorHeartbeat({
        config: config(),
        pool: queue.pool,
        metrics
      });
      assert.equal(await heartbeat.tick(), 'written');

      const [record, ...others] = await statusRecords();
      assert.equal(others.length, 0);
      assert.equal(record?.Deployment_Id__c, 'acme-prod');
      assert.equal(record?.Name, 'acme-prod');
      assert.equal(record?.Connector_Version__c, CONNECTOR_VERSION);
      assert.equal(record?.Accepted_Last_Hour__c, 3);
      assert.equal(record?.Rejected_Last_Hour__c, 3);
      assert.deepEqual(JSON.parse(String(record?.Rejected_By_Reason__c)), {
        signature: 2,
        malformed: 1
      });
      assert.equal(record?.Signature_Failures_Last_Hour__c, 2);
      assert.equal(record?.Queue_Depth__c, 1);
      assert.ok(record?.Oldest_Pending_At__c, 'a job is pending');
      assert.equal(record?.Dead_Letters__c, 1);
      assert.ok(record?.Last_Delivery_At__c);
      assert.equal(record?.Scope_Auth_State__c, 'Failing');
      assert.equal(
        record?.Scope_Last_Error__c,
        'Scope answered HTTP 401 to fetchNodes'
      );
      // read before its own first call: no Salesforce call of this process was seen yet
      assert.equal(record?.Salesforce_Auth_State__c, 'Unknown');
      assert.equal(record?.Last_Sync_At__c, null, 'no sync has run');
      const sent = JSON.stringify(record);
      assert.ok(
        !sent.includes('PRIVATE KEY') && !sent.includes(salesforce.clientId)
      );

      const calls = (await requests()).filter(
        (r) => !r.path.includes('/oauth2/')
      );
      assert.deepEqual(
        calls.map((c) => [
          c.method,
          c.path.replace(/^.*\/sobjects\//, ''),
          c.status
        ]),
        [
          ['GET', 'Scope_AR_Session__c/describe', 200],
          ['GET', 'Scope_AR_Session_Step__c/describe', 200],
          ['GET', 'WorkLink_Connector_Status__c/describe', 200],
          [
            'PATCH',
            'WorkLink_Connector_Status__c/Deployment_Id__c/acme-prod',
            201
          ]
        ],
        'the setup check describes the objects the connector writes (sessions, steps, heartbeat), then the record is upserted'
      );
      assert.ok(record?.Setup_Checked_At__c, 'the setup check ran');
      assert.equal(
        record?.Setup_Problems__c,
        null,
        'WorkLink_Integration grants every field the connector writes'
      );
      // the record counts the calls made before it (token, three describes) plus its own upsert
      assert.equal(record?.Heartbeat_Calls_Today__c, 5);
      assert.equal(heartbeat.callsToday(), 5);
    });

    it('a second deployment gets its own record; the same deployment updates its own', async () => {
      const metrics = createMetrics({ defaultMetrics: false });
      const other = createConnectorHeartbeat({
        config: loadConfig({
          ...Object.fromEntries(
            Object.entries({
              SF_LOGIN_URL: salesforce.url,
              SF_CLIENT_ID: salesforce.clientId,
              SF_USERNAME: salesforce.username,
              SF_PRIVATE_KEY: salesforce.jwtPrivateKeyPem,
              SF_API_VERSION: salesforce.apiVersion
            })
          ),
          HEARTBEAT_DEPLOYMENT_ID: 'acme-staging'
        }),
        pool: queue.pool,
        metrics
      });
      assert.equal(await other.tick(), 'written');
      const again = createConnectorHeartbeat({
        config: config(),
        pool: queue.pool,
        metrics
      });
      assert.equal(await again.tick(), 'written');
      const records = await statusRecords();
      assert.deepEqual(records.map((r) => r.Deployment_Id__c).sort(), [
        'acme-prod',
        'acme-staging'
      ]);
    });
  }
);

/** A copy of force-app's metadata whose WorkLink_Integration lacks the grant of one field. */
async function metadataWithout(field: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'worklink-setup-'));
  await cp('force-app/main/default', dir, { recursive: true });
  const path = join(
    dir,
    'permissionsets/WorkLink_Integration.permissionset-meta.xml'
  );
  const xml = await readFile(path, 'utf8');
  const grant = new RegExp(
    `\\s*<fieldPermissions>\\s*<editable>true</editable>\\s*<field>${field.replace('.', '\\.')}</field>\\s*<readable>true</readable>\\s*</fieldPermissions>`
  );
  assert.match(xml, grant, `WorkLink_Integration grants ${field}`);
  await writeFile(path, xml.replace(grant, ''));
  return dir;
}

describe(
  'setup check of an integration user whose permission set misses a field',
  { timeout: 120_000 },
  () => {
    let postgres: TestPostgres;
    let queue: MigratedQueue;
    let salesforce: SalesforceSandbox;
    let metadataDir: string;
    before(async () => {
      // e.g. a customer's copy of the permission set made before the field was packaged
      metadataDir = await metadataWithout(
        'Scope_AR_Session__c.Service_Appointment__c'
      );
      [postgres, salesforce] = await Promise.all([
        startTestPostgres(),
        startSalesforceSandbox({ port: 0, seed: false, metadataDir })
      ]);
      queue = await startMigratedQueue(postgres, 4);
    });
    after(async () => {
      await queue?.boss.stop({ graceful: false, close: false });
      await queue?.pool.end();
      await Promise.all([postgres?.stop(), salesforce?.close()]);
      await rm(metadataDir, { recursive: true, force: true });
    });

    it('the heartbeat record names the field the integration user cannot write', async () => {
      const heartbeat = createConnectorHeartbeat({
        config: loadConfig({
          SF_LOGIN_URL: salesforce.url,
          SF_CLIENT_ID: salesforce.clientId,
          SF_USERNAME: salesforce.username,
          SF_PRIVATE_KEY: salesforce.jwtPrivateKeyPem,
          SF_API_VERSION: salesforce.apiVersion,
          HEARTBEAT_DEPLOYMENT_ID: 'acme-prod'
        }),
        pool: queue.pool,
        metrics: createMetrics({ defaultMetrics: false })
      });
      assert.equal(await heartbeat.tick(), 'written');
      const [record] = (await (
        await fetch(
          `${salesforce.url}/sandbox/records/WorkLink_Connector_Status__c`
        )
      ).json()) as Record<string, unknown>[];
      assert.equal(
        record?.Setup_Problems__c,
        'Scope_AR_Session__c.Service_Appointment__c: missing'
      );
    });
  }
);
