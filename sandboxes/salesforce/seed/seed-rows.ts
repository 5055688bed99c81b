import type { SRecord } from '../store/record-store.ts';

export interface SeedOptions {
  closedWorkOrders: number;
  now: number;
}

export type SeedRow = [sobject: string, record: SRecord];

/** SANDBOX ONLY: the password of every seeded user (documented in the README). */
export const SEED_PASSWORD = 'worklink-sandbox';
/** SANDBOX ONLY: the security token; `password + token` is accepted like a real org from an untrusted IP. */
export const SEED_SECURITY_TOKEN = 'WorkLinkSandboxToken0001';
export const ORGANIZATION_NAME = 'WorkLink Sandbox';
/** A seeded user whose `_profile` is this gets System Administrator-like access instead of the permission set. */
export const ADMIN_PROFILE = 'System Administrator';

const person = {
  _password: SEED_PASSWORD,
  IsActive: true,
  TimeZoneSidKey: 'America/Los_Angeles',
  LocaleSidKey: 'en_US',
  LanguageLocaleKey: 'en_US'
};

/** Technicians: `_permissionSets` are the permission sets assigned to them (the sandbox reads them). */
function technicianUsers(): SeedRow[] {
  return [
    ['alex', 'Alex', 'Kim', true, ['WorkLink_User']],
    ['priya', 'Priya', 'Natarajan', true, ['WorkLink_User']],
    ['jordan', 'Jordan', 'Lee', false, ['WorkLink_User']],
    ['maria', 'Maria', 'Gonzalez', true, []]
  ].map(([key, first, last, active, permissionSets]) => {
    const handle = `${String(first).toLowerCase()}.${String(last).toLowerCase()}`;
    return [
      'User',
      {
        _key: String(key),
        _permissionSets: permissionSets as string[],
        FirstName: String(first),
        LastName: String(last),
        Username: `${handle}@worklink.sandbox`,
        Email: `${handle}@sandbox.scopear.test`,
        Alias:
          `${String(first).slice(0, 1)}${String(last).slice(0, 4)}`.toLowerCase(),
        ...person,
        IsActive: Boolean(active)
      }
    ];
  });
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/**
 * The shared demo/test data set (see the README): users, assets, cases, work orders, line items and
 * service appointments, inserted in this order so that their Ids are the same in every run. `ref:<key>` values are replaced by the Id
 * of the row whose `_key` is <key>.
 */
export function seedRows({ closedWorkOrders, now }: SeedOptions): SeedRow[] {
  const rows: SeedRow[] = [
    [
      'Organization',
      {
        Name: ORGANIZATION_NAME,
        InstanceName: 'CS42',
        IsSandbox: true,
        OrganizationType: 'Enterprise Edition',
        DefaultLocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles'
      }
    ],
    [
      'User',
      {
        _key: 'integration',
        FirstName: 'Integration',
        LastName: 'User',
        Username: 'integration@worklink.sandbox',
        Email: 'integration@worklink.sandbox',
        Alias: 'integ',
        ...person
      }
    ],
    [
      'User',
      {
        _key: 'dana',
        _permissionSets: ['WorkLink_User'],
        FirstName: 'Dana',
        LastName: 'Reyes',
        Username: 'dana.reyes@worklink.sandbox',
        Email: 'dana.reyes@sandbox.scopear.test',
        Alias: 'dreyes',
        ...person,
        WorkLink_Call_Link__c: 'worklink://resource?action=fetch_user&user=501'
      }
    ],
    [
      'User',
      {
        _key: 'sam',
        _permissionSets: ['WorkLink_User'],
        FirstName: 'Sam',
        LastName: 'Okafor',
        Username: 'sam.okafor@worklink.sandbox',
        Email: 'sam.okafor@sandbox.scopear.test',
        Alias: 'sokafor',
        ...person,
        WorkLink_Call_Link__c: 'worklink://resource?action=fetch_user&user=502'
      }
    ],
    [
      'User',
      {
        _key: 'admin',
        _profile: ADMIN_PROFILE,
        FirstName: 'WorkLink',
        LastName: 'Admin',
        Username: 'admin@worklink.sandbox',
        Email: 'admin@worklink.sandbox',
        Alias: 'wladmin',
        ...person
      }
    ],
    // Scope's technicians (sandboxes/scope/seed/fixtures.ts) as Salesforce users (after the
    // admin, so that seeded Ids stay as they were): Alex and Priya hold
    // WorkLink_User, Jordan left (inactive), Maria has no access to Scope AR Sessions.
    ...technicianUsers(),
    [
      'Asset',
      {
        _key: 'pump',
        Name: 'Centrifugal Pump P-100',
        SerialNumber: 'P100-0001',
        Status: 'Installed',
        Scope_Asset_Id__c: 'PUMP-100'
      }
    ],
    [
      'Asset',
      {
        _key: 'hvac',
        Name: 'Rooftop HVAC Unit 7',
        SerialNumber: 'HVAC7-0007',
        Status: 'Installed',
        Scope_Asset_Id__c: 'HVAC-7'
      }
    ],
    [
      'Asset',
      {
        _key: 'gen',
        Name: 'Standby Generator G-3000',
        SerialNumber: 'G3000-0042',
        Status: 'Installed',
        Scope_Asset_Id__c: 'GEN-3000'
      }
    ],
    [
      'Asset',
      {
        _key: 'legacy',
        Name: 'Legacy Compressor C-9',
        SerialNumber: 'C9-1999',
        Status: 'Installed'
      }
    ],
    [
      'Case',
      {
        _key: 'case1',
        CaseNumber: '00001001',
        Subject: 'Pump P-100 leaking at the seal',
        Status: 'Working',
        Priority: 'High',
        Origin: 'Phone',
        AssetId: 'ref:pump'
      }
    ],
    [
      'Case',
      {
        _key: 'case2',
        CaseNumber: '00001002',
        Subject: 'HVAC unit 7 airflow low',
        Status: 'New',
        Priority: 'Medium',
        Origin: 'Email',
        AssetId: 'ref:hvac',
        WorkLink_Expert__c: 'ref:sam'
      }
    ],
    [
      'WorkOrder',
      {
        _key: 'wo101',
        WorkOrderNumber: '00000101',
        Subject: 'Replace seal on pump P-100',
        Status: 'In Progress',
        Priority: 'High',
        AssetId: 'ref:pump',
        CaseId: 'ref:case1',
        WorkLink_Expert__c: 'ref:dana',
        StartDate: iso(now - 2 * HOUR)
      }
    ],
    [
      'WorkOrder',
      {
        _key: 'wo102',
        WorkOrderNumber: '00000102',
        Subject: 'Service HVAC unit 7 filters',
        Status: 'New',
        Priority: 'Medium',
        AssetId: 'ref:hvac',
        WorkLink_Expert__c: 'ref:sam'
      }
    ],
    [
      'WorkOrder',
      {
        _key: 'wo103',
        WorkOrderNumber: '00000103',
        Subject: 'Load test standby generator',
        Status: 'New',
        Priority: 'Low',
        AssetId: 'ref:gen'
      }
    ],
    [
      'WorkOrder',
      {
        _key: 'wo104',
        WorkOrderNumber: '00000104',
        Subject: 'Inspect legacy compressor C-9',
        Status: 'New',
        Priority: 'Low',
        AssetId: 'ref:legacy'
      }
    ],
    [
      'WorkOrder',
      {
        _key: 'wo105',
        WorkOrderNumber: '00000105',
        Subject: 'Site walk-through (no asset)',
        Status: 'New',
        Priority: 'Low'
      }
    ],
    // Field Service: the pump job's line items (one names the pump itself, one inherits the work
    // order's asset), an appointment for the HVAC work order and one for a line item.
    [
      'WorkOrderLineItem',
      {
        _key: 'woli1',
        WorkOrderId: 'ref:wo101',
        Subject: 'Replace the mechanical seal',
        Status: 'In Progress',
        AssetId: 'ref:pump'
      }
    ],
    [
      'WorkOrderLineItem',
      {
        _key: 'woli2',
        WorkOrderId: 'ref:wo101',
        Subject: 'Check the shaft alignment after the repair',
        Status: 'New'
      }
    ],
    [
      'ServiceAppointment',
      {
        _key: 'sa1',
        ParentRecordId: 'ref:wo102',
        Subject: 'Filter service visit',
        Status: 'Scheduled',
        SchedStartTime: iso(now + DAY),
        SchedEndTime: iso(now + DAY + 2 * HOUR)
      }
    ],
    [
      'ServiceAppointment',
      {
        _key: 'sa2',
        ParentRecordId: 'ref:woli1',
        Subject: 'Seal replacement visit',
        Status: 'Scheduled',
        SchedStartTime: iso(now + 2 * DAY),
        SchedEndTime: iso(now + 2 * DAY + HOUR)
      }
    ]
  ];
  const assets = ['pump', 'hvac', 'gen', 'legacy', null];
  const experts = ['dana', 'sam', null];
  for (let i = 0; i < closedWorkOrders; i++) {
    // Spread deterministically over ~90 days with resolution times from 2 hours to ~5 days.
    const created = now - (3 + ((i * 37) % 88)) * DAY - ((i * 5) % 24) * HOUR;
    const started = created + (1 + (i % 6)) * HOUR;
    const ended = started + (2 + ((i * 13) % 118)) * HOUR;
    const asset = assets[i % assets.length];
    const expert = experts[i % experts.length];
    rows.push([
      'WorkOrder',
      {
        _key: `closed${i + 1}`,
        WorkOrderNumber: String(201 + i).padStart(8, '0'),
        Subject: `Closed work order ${i + 1}`,
        Status: 'Closed',
        Priority: ['Low', 'Medium', 'High'][i % 3],
        CreatedDate: iso(created),
        StartDate: iso(started),
        EndDate: iso(ended),
        ...(asset ? { AssetId: `ref:${asset}` } : {}),
        ...(expert ? { WorkLink_Expert__c: `ref:${expert}` } : {})
      }
    ]);
  }
  return rows;
}
