// A seeded field-service history for the AR Impact figures: assets of two models, three work types,
// ~70 work orders over the last 80 days (resolved, canceled, open, some without an asset, follow-ups on
// the same asset), Scope AR sessions and calls linked to some of them (and unmatched ones), then the
// WorkOrder outcome fields filled by `recomputeOutcomeFields`.
//
// recomputeOutcomeFields is a stand-in for the connector's own recompute (the rollups branch:
// connector/src/rollups/compute-rollups.ts and compute-outcomes.ts): it applies the shared contract's
// definitions to what SOQL reads back and writes the fields as the admin. Replace it by the connector's
// recompute when that lands; the tests that use it only need the fields right.
import type { Connection } from 'jsforce';
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

interface WorkOrderRow {
  Id: string;
  AssetId: string | null;
  Status: string | null;
  StatusCategory: string | null;
  IsClosed: boolean;
  CreatedDate: string;
  EndDate: string | null;
  LastModifiedDate: string;
}

interface SessionRow {
  Work_Order__c: string;
  Kind__c: string | null;
  Started_At__c: string | null;
  Duration_Seconds__c: number | null;
}

export interface OutcomeSettings {
  windowDays: number;
  resolvedStatuses: readonly string[];
  now: Date;
}

const closedAtOf = (w: WorkOrderRow) =>
  w.IsClosed ? Date.parse(w.EndDate ?? w.LastModifiedDate) : null;

function outcomes(w: WorkOrderRow, all: WorkOrderRow[], s: OutcomeSettings) {
  const windowMs = s.windowDays * DAY_MS;
  const resolved = (x: WorkOrderRow) =>
    x.IsClosed &&
    s.resolvedStatuses.some(
      (r) =>
        r.toLowerCase() === (x.StatusCategory ?? x.Status ?? '').toLowerCase()
    );
  if (!w.AssetId)
    return { WorkLink_First_Time_Fix__c: null, WorkLink_Repeat_Visit__c: null };
  const siblings = all.filter((x) => x.AssetId === w.AssetId);
  const created = Date.parse(w.CreatedDate);
  const repeat = siblings.some((x) => {
    const c = closedAtOf(x);
    return (
      x.Id !== w.Id &&
      resolved(x) &&
      c !== null &&
      created > c &&
      created <= c + windowMs
    );
  });
  const closed = closedAtOf(w);
  let ftf: 0 | 1 | null = null;
  if (resolved(w) && closed !== null) {
    const followUp = siblings.some((x) => {
      const t = Date.parse(x.CreatedDate);
      return t > closed && t <= closed + windowMs;
    });
    ftf = followUp ? 0 : closed + windowMs <= s.now.getTime() ? 1 : null;
  }
  return {
    WorkLink_First_Time_Fix__c: ftf,
    WorkLink_Repeat_Visit__c: repeat ? 1 : 0
  };
}

function rollups(sessions: SessionRow[]) {
  const calls = sessions.filter((x) => x.Kind__c === 'Call');
  const starts = sessions
    .map((x) => x.Started_At__c)
    .filter((t): t is string => !!t)
    .map((t) => Date.parse(t))
    .sort((a, b) => a - b);
  const seconds = sessions.reduce(
    (sum, x) => sum + (x.Duration_Seconds__c ?? 0),
    0
  );
  return {
    WorkLink_AR_Sessions__c: sessions.length - calls.length,
    WorkLink_AR_Calls__c: calls.length,
    WorkLink_First_AR_Start__c: starts.length ? iso(starts[0] as number) : null,
    WorkLink_Last_AR_Start__c: starts.length
      ? iso(starts.at(-1) as number)
      : null,
    WorkLink_AR_Minutes__c: Math.round((seconds / 60) * 100) / 100,
    WorkLink_AR_Used__c: sessions.length > 0
  };
}

/** Recomputes every work order's rollup and outcome fields from SOQL and writes them (see the header). */
export async function recomputeOutcomeFields(
  conn: Connection,
  settings: OutcomeSettings
): Promise<void> {
  const workOrders = (
    await conn.query<WorkOrderRow>(
      'SELECT Id, AssetId, Status, StatusCategory, IsClosed, CreatedDate, EndDate, LastModifiedDate FROM WorkOrder',
      { autoFetch: true, maxFetch: 100_000 }
    )
  ).records;
  const sessions = (
    await conn.query<SessionRow>(
      'SELECT Work_Order__c, Kind__c, Started_At__c, Duration_Seconds__c FROM Scope_AR_Session__c WHERE Work_Order__c != null',
      { autoFetch: true, maxFetch: 100_000 }
    )
  ).records;
  const updates = workOrders.map((w) => ({
    Id: w.Id,
    ...rollups(sessions.filter((x) => x.Work_Order__c === w.Id)),
    ...outcomes(w, workOrders, settings),
    WorkLink_Outcome_Window_Days__c: settings.windowDays
  }));
  for (let i = 0; i < updates.length; i += 200) {
    const results = await conn
      .sobject('WorkOrder')
      .update(updates.slice(i, i + 200), { allOrNone: true });
    const failed = results.filter((r) => !r.success);
    if (failed.length)
      throw new Error(`recompute: ${JSON.stringify(failed[0])}`);
  }
}
