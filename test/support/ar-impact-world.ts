// A seeded field-service history for the AR Impact figures: assets of two models, three work types,
// ~70 work orders over the last 80 days (resolved, canceled, open, some without an asset, follow-ups on
// the same asset), Scope AR sessions and calls linked to some of them (and unmatched ones), then the
// rollup and outcome fields filled by `recomputeOutcomeFields`: the connector's own recompute
// (connector/src/rollups/recompute-parents.ts), over every work order, as the sync pass would.
import type { Connection } from 'jsforce';
import { recomputeParents } from '../../connector/src/rollups/recompute-parents.ts';
import type { RollupClient } from '../../connector/src/rollups/recompute-parents.ts';
import type { UpdateResult } from '../../connector/src/salesforce/collections-update.ts';
import type { SalesforceSandbox } from '../../sandboxes/salesforce/index.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A small deterministic generator (mulberry32), so every run seeds the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface ArImpactWorld {
  /** The day the history ends (UTC midnight of "today"). */
  today: number;
  workOrders: number;
}

interface Insert {
  (sobject: string, body: Record<string, unknown>): string;
}

function inserter(sf: SalesforceSandbox): Insert {
  return (sobject, body) => {
    const outcome = sf.state.insertFixture(sobject, body);
    if (!outcome.success)
      throw new Error(`${sobject}: ${JSON.stringify(outcome.errors)}`);
    return outcome.id;
  };
}

function seedCatalog(insert: Insert) {
  const models = [
    insert('Product2', { Name: 'Carrier 48TC Rooftop Unit' }),
    insert('Product2', { Name: 'Wärmepumpe Vitocal 250-A — Außeneinheit' })
  ];
  const assets = Array.from({ length: 45 }, (_, i) =>
    insert('Asset', {
      Name: `RTU/${i + 1}+Nord=${'ä'.repeat(i % 3)}-${'x'.repeat(40 + (i % 9))}`,
      SerialNumber: `SN-${1000 + i}_A/B`,
      Product2Id: models[i % 2]
    })
  );
  const workTypes = [
    'Preventive Maintenance',
    'Repair',
    'Installation — Inbetriebnahme'
  ].map((Name) => insert('WorkType', { Name }));
  return { assets, workTypes };
}

type Status = 'Completed' | 'Closed' | 'Canceled' | 'In Progress';

/** Seeds the history into the sandbox (as fixtures: created dates in the past, as an org would have). */
export function seedArImpactWorld(
  sf: SalesforceSandbox,
  now = Date.now()
): ArImpactWorld {
  const insert = inserter(sf);
  const next = random(17);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const { assets, workTypes } = seedCatalog(insert);
  // Keep clear of the edges: the FTF window end (now − 30 days) and the 90-day filter's first day.
  const ftfEdge = now - 30 * DAY_MS;
  let count = 0;
  for (let i = 0; i < 72; i++) {
    const createdMinutes = Math.floor((2 + next() * 78) * 24 * 60);
    const created = now - createdMinutes * MINUTE_MS;
    const status: Status =
      i % 11 === 5
        ? 'Canceled'
        : i % 13 === 7
          ? 'In Progress'
          : i % 2
            ? 'Completed'
            : 'Closed';
    const durationMinutes = 30 + Math.floor(next() * 72 * 60);
    let closed = created + durationMinutes * MINUTE_MS;
    if (Math.abs(closed - ftfEdge) < 3 * 60 * MINUTE_MS)
      closed += 6 * 60 * MINUTE_MS;
    if (closed > now - 60 * MINUTE_MS) closed = now - 60 * MINUTE_MS;
    const id = insert('WorkOrder', {
      Subject: `Job ${i} — Kältemittel prüfen / check`,
      Status: status,
      CreatedDate: iso(created),
      ...(status === 'In Progress' ? {} : { EndDate: iso(closed) }),
      ...(i % 9 === 4
        ? {}
        : { AssetId: assets[Math.floor(next() * assets.length)] }),
      WorkTypeId: workTypes[i % workTypes.length]
    });
    count++;
    seedArRecords(insert, next, id, i, created);
  }
  return { today, workOrders: count };
}

function seedArRecords(
  insert: Insert,
  next: () => number,
  workOrderId: string,
  i: number,
  created: number
): void {
  const technicians = ['Dana Reyes', 'Sam Okafor', 'Zoë Ñúñez'];
  const base = {
    Work_Order__c: workOrderId,
    Link_Status__c: 'Matched',
    Technician__c: technicians[i % 3]
  };
  const started = (k: number) => iso(created + (k + 1) * 7 * MINUTE_MS);
  if (next() < 0.45)
    insert('Scope_AR_Session__c', {
      ...base,
      Scope_Id__c: `U2NlbmFyaW9TZXNzaW9u+${i}/a=b-c_d`,
      Kind__c: 'Scenario Session',
      Scenario_Name__c:
        i % 2 ? 'Compressor swap' : 'Filter change — Filterwechsel',
      Started_At__c: started(0),
      Duration_Seconds__c: 300 + i * 11
    });
  const calls = next() < 0.4 ? 1 + (i % 2) : 0;
  for (let k = 0; k < calls; k++)
    insert('Scope_AR_Session__c', {
      ...base,
      Scope_Id__c: `Q2FsbA==+${i}/${k}-_x`,
      Kind__c: 'Call',
      Expert__c: k ? 'Ama Boateng' : 'Jürgen Groß',
      Started_At__c: started(k + 1),
      Duration_Seconds__c: 120 + k * 60
    });
  if (i % 10 === 3)
    insert('Scope_AR_Session__c', {
      Scope_Id__c: `VW5tYXRjaGVk+${i}/z=`,
      Kind__c: 'Scenario Session',
      Link_Status__c: 'Unmatched',
      External_Work_Order_Ref__c: `WO-${9000 + i}`,
      Started_At__c: started(3)
    });
}

export interface OutcomeSettings {
  windowDays: number;
  resolvedStatuses: readonly string[];
  now: Date;
}

/** The connector's rollup client, over a jsforce connection (here the admin's). */
function rollupClient(conn: Connection): RollupClient {
  return {
    async query<T>(_operation: string, soql: string) {
      const result = await conn.query<Record<string, unknown>>(soql, {
        autoFetch: true,
        maxFetch: 100_000
      });
      return result.records.map(({ attributes: _a, ...row }) => row as T);
    },
    async updateRecords(_operation, updates) {
      const results: UpdateResult[] = [];
      for (const update of updates) {
        const [saved] = await conn
          .sobject(update.sobject)
          .update([{ Id: update.id, ...update.fields }], { allOrNone: false });
        results.push({
          sobject: update.sobject,
          id: update.id,
          success: saved?.success === true,
          errors: saved?.success
            ? []
            : [
                {
                  statusCode: 'FAILED',
                  message: JSON.stringify(saved),
                  fields: []
                }
              ]
        });
      }
      return results;
    }
  };
}

/** Recomputes every work order's (and asset's) rollup and outcome fields with the connector's code. */
export async function recomputeOutcomeFields(
  conn: Connection,
  settings: OutcomeSettings
): Promise<void> {
  const client = rollupClient(conn);
  const rows = await client.query<{ Id: string; AssetId: string | null }>(
    'all',
    'SELECT Id, AssetId FROM WorkOrder'
  );
  const result = await recomputeParents(
    client,
    {
      workOrders: new Set(rows.map((r) => r.Id)),
      assets: new Set(rows.flatMap((r) => (r.AssetId ? [r.AssetId] : []))),
      cases: new Set()
    },
    settings,
    settings.now
  );
  if (result.failed.length > 0)
    throw new Error(`recompute: ${JSON.stringify(result.failed[0])}`);
}
