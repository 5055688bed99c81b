// End to end, as in production: the Work Order page's deeplink is opened in the (simulated) WorkLink app,
// Scope sends its webhooks to the connector (a real `connector serve` process on a real PostgreSQL),
// and the record appears in the Salesforce sandbox. Nothing is called in process but the sandboxes' setup.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subscribeConnectorWebhooks } from '../../../demo/subscribe-webhooks.ts';
import type { Replica } from '../replicas/support/replica-process.ts';
import { startTestPostgres } from '../receiving/support/test-postgres.ts';
import type { TestPostgres } from '../receiving/support/test-postgres.ts';
import { freshConnector } from './support/fresh-connector.ts';
import { healthy } from './support/connector-metrics.ts';
import {
  E2E_PATH_TOKEN,
  E2E_SECRET,
  SCOPE_TOKEN,
  eventually,
  json,
  sessionsOf,
  startE2eWorld
} from './support/e2e-world.ts';
import type { E2eWorld, SalesforceRow } from './support/e2e-world.ts';
import { loadDeeplinks } from './support/lwc-deeplinks.ts';
import type { WorklinkDeeplinks } from './support/lwc-deeplinks.ts';

const DEADLINE_MS = 90_000;

let postgres: TestPostgres;
let world: E2eWorld;
let links: WorklinkDeeplinks;

before(async () => {
  [postgres, world, links] = await Promise.all([
    startTestPostgres(),
    startE2eWorld(),
    loadDeeplinks()
  ]);
});
after(async () => {
  await world?.close();
  await postgres?.stop();
});

/** Subscribes the connector to the generation-2 topics through Scope's public GraphQL mutation. */
async function subscribe(connector: Replica): Promise<void> {
  const ids = await subscribeConnectorWebhooks({
    scopeBaseUrl: world.scope.url,
    apiToken: SCOPE_TOKEN,
    permalink: 'sandbox',
    callbackUrl: `${connector.url}/webhooks/scope`,
    sharedSecret: E2E_SECRET
  });
  assert.ok(ids.length >= 2, 'subscribed to the session and call topics');
}

/** Waits until Salesforce holds the node's record in `state` and nothing is left to deliver. */
async function waitForRecord(
  scopeId: string,
  state: string
): Promise<SalesforceRow[]> {
  return eventually(
    async () => {
      const rows = await sessionsOf(world, scopeId);
      const { pending } = await world.scopeDeliveries();
      return {
        done: pending === 0 && rows.length > 0 && rows[0]?.State__c === state,
        value: rows
      };
    },
    DEADLINE_MS,
    `the record of ${scopeId} in state ${state}`
  );
}

async function assertAllDelivered(connector: Replica): Promise<void> {
  const { deliveries } = await world.scopeDeliveries();
  assert.ok(deliveries.length > 0, 'Scope sent deliveries');
  const refused = deliveries.filter((d) => d.outcome !== 'delivered');
  assert.deepEqual(
    refused.map((d) => ({ topic: d.topic, statuses: d.statuses })),
    [],
    `every delivery was acknowledged\n${connector.logTail()}`
  );
}

describe(
  'deeplink → Scope session → webhook → connector → Salesforce record',
  {
    timeout: 300_000
  },
  () => {
    it('the launch link the LWC builds for work order 00000101 becomes one correct Matched Scenario Session', async () => {
      const connector = await freshConnector(world, postgres, 'deeplink');
      try {
        await subscribe(connector);
        const wo = await world.workOrder('00000101');
        const asset = (await world.sfRecords('Asset')).find(
          (a) => a.Id === wo.AssetId
        );
        assert.equal(asset?.Scope_Asset_Id__c, 'PUMP-100');
        const link = links.buildLaunchLink({
          assetId: String(asset?.Scope_Asset_Id__c),
          workOrderId: wo.Id,
          workOrderNumber: String(wo.WorkOrderNumber),
          caseId: wo.CaseId as string | null
        });
        assert.ok(link);
        assert.equal(
          link,
          `worklink://resource?action=fetch_catalog&asset=PUMP-100&work_order_id=${wo.Id}&work_order_number=00000101&case_id=${String(wo.CaseId)}`
        );
        const opened = await world.open(link);
        assert.equal(opened.resourceType, 'ScenarioSession');
        await world.runToCompletion();
        const truth = await world.scopeNode(opened.id);
        assert.equal(truth.state, 'COMPLETED');

        const rows = await waitForRecord(opened.id, 'COMPLETED');
        assert.equal(rows.length, 1, 'exactly one record for the session');
        const record = rows[0] as SalesforceRow;
        assert.equal(record.Kind__c, 'Scenario Session');
        assert.equal(record.Link_Status__c, 'Matched');
        assert.equal(record.Work_Order__c, wo.Id);
        assert.equal(record.Case__c, wo.CaseId);
        assert.ok(wo.CaseId, 'work order 00000101 has a case');
        assert.equal(record.Asset__c, wo.AssetId);
        assert.equal(
          record.Scenario_Name__c,
          'Centrifugal Pump P-100 Seal Replacement'
        );
        assert.equal(record.Steps_Possible__c, 6);
        assert.equal(record.Steps_Possible__c, truth.numberOfStepsPossible);
        assert.equal(record.Steps_Viewed__c, truth.numberOfStepsViewed);
        assert.equal(
          Number(record.Percent_Steps_Viewed__c),
          Number(truth.percentOfStepsViewed)
        );
        assert.equal(record.Percent_Steps_Viewed__c, 100);
        assert.equal(record.State__c, truth.state);
        assert.equal(record.Scope_Database_Id__c, opened.databaseId);
        assert.deepEqual(
          JSON.parse(String(record.External_Data__c)),
          opened.externalData
        );
        assert.deepEqual(opened.externalData, {
          work_order_id: wo.Id,
          work_order_number: '00000101',
          case_id: wo.CaseId
        });
        assert.ok(record.Started_At__c && record.Ended_At__c);
        assert.ok(record.Last_Synced_At__c);
        await assertAllDelivered(connector);
        assert.ok(await healthy(connector.url));
      } finally {
        await connector.stop();
      }
    });

    it('the expert call link (Dana) becomes one Kind = Call record with the expert; an unknown work order one Unmatched record', async () => {
      const connector = await freshConnector(world, postgres, 'call');
      try {
        await subscribe(connector);
        const wo = await world.workOrder('00000101');
        const expert = (await world.sfRecords('User')).find(
          (u) => u.Id === wo.WorkLink_Expert__c
        );
        assert.equal(`${expert?.FirstName} ${expert?.LastName}`, 'Dana Reyes');
        const callLink = links.buildCallLink({
          callLink: String(expert?.WorkLink_Call_Link__c),
          workOrderId: wo.Id,
          workOrderNumber: String(wo.WorkOrderNumber),
          caseId: wo.CaseId as string | null
        });
        assert.ok(
          callLink?.startsWith(
            'worklink://resource?action=fetch_user&user=501&work_order_id='
          )
        );
        const call = await world.open(callLink as string);
        assert.equal(call.resourceType, 'Call');

        // a work-order number Salesforce does not have (typed by hand, or from another org)
        const unknownLink = links.buildLaunchLink({
          assetId: 'HVAC-7',
          workOrderNumber: '00999999'
        });
        const unknown = await world.open(unknownLink as string);
        await world.runToCompletion();

        const callTruth = await world.scopeNode(call.id);
        const [callRecord, ...moreCalls] = await waitForRecord(
          call.id,
          String(callTruth.state)
        );
        assert.equal(moreCalls.length, 0, 'exactly one record for the call');
        assert.equal(callRecord?.Kind__c, 'Call');
        assert.equal(callRecord?.Expert__c, 'Dana Reyes');
        assert.equal(callRecord?.Link_Status__c, 'Matched');
        assert.equal(callRecord?.Work_Order__c, wo.Id);
        assert.equal(callRecord?.Case__c, wo.CaseId);
        assert.equal(callRecord?.State__c, 'ENDED');
        assert.deepEqual(
          JSON.parse(String(callRecord?.External_Data__c)),
          call.externalData
        );

        const [unmatched, ...moreUnmatched] = await waitForRecord(
          unknown.id,
          'COMPLETED'
        );
        assert.equal(moreUnmatched.length, 0);
        assert.equal(unmatched?.Kind__c, 'Scenario Session');
        assert.equal(unmatched?.Link_Status__c, 'Unmatched');
        assert.equal(unmatched?.External_Work_Order_Ref__c, '00999999');
        assert.equal(unmatched?.Work_Order__c, null);
        assert.equal(
          unmatched?.Scenario_Name__c,
          'Rooftop HVAC Filter Service'
        );
        assert.deepEqual(JSON.parse(String(unmatched?.External_Data__c)), {
          work_order_number: '00999999'
        });
        await assertAllDelivered(connector);
      } finally {
        await connector.stop();
      }
    });

    it('generation 1: the organization webhook URL on the secret path delivers unsigned notifications that land the same record', async () => {
      const connector = await freshConnector(world, postgres, 'generation1');
      try {
        await json(`${world.scope.url}/sandbox/webhooks/generation1`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            url: `${connector.url}/webhooks/scope/${E2E_PATH_TOKEN}`,
            enabled: true
          })
        });
        const wo = await world.workOrder('00000102');
        const link = links.buildLaunchLink({
          assetId: 'HVAC-7',
          workOrderId: wo.Id,
          workOrderNumber: '00000102',
          caseId: wo.CaseId as string | null
        });
        const opened = await world.open(link as string);
        await world.runToCompletion();
        const [record, ...more] = await waitForRecord(opened.id, 'COMPLETED');
        assert.equal(more.length, 0);
        assert.equal(record?.Link_Status__c, 'Matched');
        assert.equal(record?.Work_Order__c, wo.Id);
        assert.equal(record?.Case__c, null, '00000102 has no case');
        assert.equal(record?.Steps_Viewed__c, 4);
        const { deliveries } = await world.scopeDeliveries();
        assert.ok(deliveries.length >= 2);
        assert.ok(
          deliveries.every((d) => d.generation === 1),
          'only generation-1 deliveries were sent (no subscription exists)'
        );
        assert.ok(
          deliveries.every(
            (d) =>
              !Object.keys(d.headers).some((h) => /hmac/i.test(h)) &&
              (JSON.parse(d.body) as { type?: string }).type === 'resource'
          ),
          'generation 1 is unsigned'
        );
        await assertAllDelivered(connector);

        // the same unsigned body on the plain path (no secret token) is refused: the token is the credential
        const sample = deliveries[0];
        const refused = await fetch(`${connector.url}/webhooks/scope`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sample?.body
        });
        assert.equal(refused.status, 401);
        assert.ok(await healthy(connector.url));
      } finally {
        await connector.stop();
      }
    });
  }
);
