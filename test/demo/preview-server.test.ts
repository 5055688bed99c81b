import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { startPreviewServer } from '../../demo/preview-server.ts';
import type { PreviewServer } from '../../demo/preview-server.ts';
import type {
  SalesforceReader,
  SoqlRecord
} from '../../demo/salesforce-reader.ts';

const WORK_ORDER_ID = '0WO8d0000000001GAA';
const opened: string[] = [];
const queries: string[] = [];
let simulator: Server;
let preview: PreviewServer;

const reader: SalesforceReader = {
  requestCount: () => 0,
  // Files (VersionData) are not part of these tests.
  download: async () => new Response(null, { status: 404 }),
  // The admin pages' calls (GraphQL, record update) are not part of these tests.
  graphql: async () => ({}),
  objectTypeOf: async () => undefined,
  updateRecord: async () => undefined,
  async query(soql: string): Promise<SoqlRecord[]> {
    queries.push(soql);
    if (soql.includes('FROM Scope_AR_Session__c')) {
      return [
        {
          attributes: { type: 'Scope_AR_Session__c' },
          Id: 'a0X1',
          Name: 'SAR-00000001',
          Kind__c: 'Call'
        },
        {
          attributes: { type: 'Scope_AR_Session__c' },
          Id: 'a0X2',
          Name: 'SAR-00000002',
          Kind__c: 'Scenario Session'
        }
      ];
    }
    if (soql.includes('FROM ServiceAppointment')) {
      return [
        {
          attributes: { type: 'ServiceAppointment' },
          Id: '08p8d0000000001AAA',
          AppointmentNumber: 'SA-0001',
          Status: 'Scheduled',
          ParentRecordId: WORK_ORDER_ID
        }
      ];
    }
    if (!soql.endsWith('FROM WorkOrder')) return [];
    return [
      {
        attributes: { type: 'WorkOrder' },
        Id: WORK_ORDER_ID,
        WorkOrderNumber: '00000101',
        Status: 'In Progress',
        Asset: null
      },
      {
        attributes: { type: 'WorkOrder' },
        Id: '0WO8d0000000006GAA',
        WorkOrderNumber: '00000201',
        Status: 'Closed'
      }
    ];
  },
  async describe() {
    return { name: 'WorkOrder', fields: [] };
  }
};

before(async () => {
  // Stands in for the Scope sandbox's POST /sandbox/open.
  simulator = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { url } = JSON.parse(body) as { url: string };
      if (url.includes('action=unknown')) {
        res
          .writeHead(422, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'Unknown action' }));
        return;
      }
      opened.push(url);
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ resourceType: 'Call' }));
    });
  });
  await new Promise<void>((resolve) =>
    simulator.listen(0, '127.0.0.1', resolve)
  );
  const { port } = simulator.address() as AddressInfo;
  preview = await startPreviewServer({
    salesforce: reader,
    scopeBaseUrl: `http://127.0.0.1:${port}`,
    buildDir: tmpdir()
  });
});

after(async () => {
  await preview.close();
  await new Promise((resolve) => simulator.close(resolve));
});

const post = (url: unknown) =>
  fetch(`${preview.url}/preview-api/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url })
  });

test('a worklink:// link is handed to the simulator unchanged', async () => {
  const link = `worklink://resource?action=fetch_user&user=501&work_order_id=${WORK_ORDER_ID}`;
  const response = await post(link);
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), {
    handedOff: true,
    simulator: { resourceType: 'Call' }
  });
  assert.deepEqual(opened, [link]);
});

test('anything but a worklink:// link is refused before reaching the simulator', async () => {
  const before = opened.length;
  for (const url of ['https://example.com', 'javascript:alert(1)', 42]) {
    assert.equal((await post(url)).status, 400);
  }
  assert.equal(opened.length, before);
});

test("the simulator's refusal comes back as 502 with its reason", async () => {
  const response = await post('worklink://resource?action=unknown');
  assert.equal(response.status, 502);
  assert.deepEqual(await response.json(), {
    errorCode: 'SIMULATOR_REJECTED',
    message: 'Unknown action'
  });
});

test('the picker lists open records per kind, and sessions come newest first', async () => {
  const { kinds } = (await (
    await fetch(`${preview.url}/preview-api/records`)
  ).json()) as {
    kinds: {
      objectApiName: string;
      route: string;
      records: {
        number: string;
        details: { label: string; value: string | null }[];
      }[];
    }[];
  };
  assert.deepEqual(
    kinds.map((kind) => [
      kind.objectApiName,
      kind.route,
      kind.records.map((record) => record.number)
    ]),
    [
      ['WorkOrder', 'work-orders', ['00000101']],
      ['WorkOrderLineItem', 'work-order-line-items', []],
      ['ServiceAppointment', 'service-appointments', ['SA-0001']],
      ['Case', 'cases', []]
    ]
  );
  assert.equal(
    kinds[2]?.records[0]?.details.find(
      (detail) => detail.label === 'Parent Record'
    )?.value,
    'Work Order 00000101',
    "an appointment's parent is shown by its number"
  );
  const { sessions } = (await (
    await fetch(
      `${preview.url}/preview-api/work-orders/${WORK_ORDER_ID}/sessions`
    )
  ).json()) as {
    sessions: { name: string; kind: string }[];
  };
  assert.deepEqual(
    sessions.map((session) => session.name),
    ['SAR-00000002', 'SAR-00000001']
  );
  assert.match(
    queries.at(-1) ?? '',
    new RegExp(`WHERE Work_Order__c = '${WORK_ORDER_ID}'$`)
  );
});

test("each record page's related list reads its own lookup", async () => {
  for (const [route, lookup] of [
    ['work-order-line-items', 'Work_Order_Line_Item__c'],
    ['service-appointments', 'Service_Appointment__c'],
    ['cases', 'Case__c']
  ] as const) {
    const response = await fetch(
      `${preview.url}/preview-api/${route}/${WORK_ORDER_ID}/sessions`
    );
    assert.equal(response.status, 200);
    assert.match(queries.at(-1) ?? '', new RegExp(`WHERE ${lookup} = `));
  }
  const unknown = await fetch(
    `${preview.url}/preview-api/accounts/${WORK_ORDER_ID}/sessions`
  );
  assert.equal(unknown.status, 404);
});

test('UI API errors keep their status and code', async () => {
  const response = await fetch(
    `${preview.url}/preview-api/ui-api/records/not-an-id?fields=WorkOrder.Id`
  );
  assert.equal(response.status, 400);
  assert.equal(
    ((await response.json()) as { errorCode: string }).errorCode,
    'MALFORMED_ID'
  );
  const sessions = await fetch(
    `${preview.url}/preview-api/work-orders/x'--/sessions`
  );
  assert.equal(sessions.status, 400);
});
