// The fixed part of the seed. Names, credentials and Asset IDs are the shared contract the demo, the
// Salesforce sandbox and the end-to-end tests rely on: change them only together.

export interface Company {
  permalink: string;
  name: string;
  databaseId: number;
}

export interface Group {
  databaseId: number;
  company: string;
  name: string;
}

export interface User {
  databaseId: number;
  company: string;
  groupId: number;
  name: string;
  lastName: string;
  email: string;
  role: 'admin' | 'expert' | 'technician';
  password?: string;
}

export interface ScenarioStepFixture {
  databaseId: number;
  name: string;
  orderIndex: number;
  sequence: string;
}

export interface ScenarioFixture {
  databaseId: number;
  company: string;
  /** The Scenario Catalog "Asset ID" (`external_asset_id`), the deeplink `asset=` value. */
  assetId: string;
  catalogDatabaseId: number;
  catalogName: string;
  name: string;
  description: string;
  authorId: number;
  originGroupId: number;
  publishedAt: string;
  releases: {
    databaseId: number;
    version: string;
    publishedAt: string;
    type: string;
  }[];
  steps: ScenarioStepFixture[];
}

export interface ApiToken {
  token: string;
  company: string;
  /** null = "All Groups" (company admin); otherwise "Choose Groups" access. */
  groupIds: number[] | null;
  name: string;
}

export const COMPANIES: readonly Company[] = [
  { permalink: 'sandbox', name: 'Sandbox Industrial Services', databaseId: 1 },
  { permalink: 'othercorp', name: 'Other Corp', databaseId: 2 }
];

export const GROUPS: readonly Group[] = [
  { databaseId: 11, company: 'sandbox', name: 'Field Service' },
  { databaseId: 12, company: 'sandbox', name: 'Remote Experts' },
  { databaseId: 13, company: 'sandbox', name: 'Contractors' },
  { databaseId: 21, company: 'othercorp', name: 'Other Corp Field' }
];

export const SANDBOX_PASSWORD = 'worklink-sandbox';

export const USERS: readonly User[] = [
  {
    databaseId: 1,
    company: 'sandbox',
    groupId: 11,
    name: 'Sandbox Admin',
    lastName: 'Admin',
    email: 'admin@sandbox.scopear.test',
    role: 'admin',
    password: SANDBOX_PASSWORD
  },
  {
    databaseId: 501,
    company: 'sandbox',
    groupId: 12,
    name: 'Dana Reyes',
    lastName: 'Reyes',
    email: 'dana.reyes@sandbox.scopear.test',
    role: 'expert'
  },
  {
    databaseId: 502,
    company: 'sandbox',
    groupId: 12,
    name: 'Sam Okafor',
    lastName: 'Okafor',
    email: 'sam.okafor@sandbox.scopear.test',
    role: 'expert'
  },
  ...[
    [601, 'Alex Kim', 'Kim', 11],
    [602, 'Priya Natarajan', 'Natarajan', 11],
    [603, 'Jordan Lee', 'Lee', 11],
    [604, 'Maria Gonzalez', 'Gonzalez', 13]
  ].map(([databaseId, name, lastName, groupId]) => ({
    databaseId: Number(databaseId),
    company: 'sandbox',
    groupId: Number(groupId),
    name: String(name),
    lastName: String(lastName),
    email: `${String(name).toLowerCase().replace(' ', '.')}@sandbox.scopear.test`,
    role: 'technician' as const
  })),
  {
    databaseId: 901,
    company: 'othercorp',
    groupId: 21,
    name: 'Olivia Other',
    lastName: 'Other',
    email: 'admin@othercorp.scopear.test',
    role: 'admin',
    password: SANDBOX_PASSWORD
  },
  {
    databaseId: 902,
    company: 'othercorp',
    groupId: 21,
    name: 'Omar Field',
    lastName: 'Field',
    email: 'omar.field@othercorp.scopear.test',
    role: 'technician'
  }
];

export const API_TOKENS: readonly ApiToken[] = [
  {
    token: 'sandbox-company-token',
    company: 'sandbox',
    groupIds: null,
    name: 'Salesforce connector'
  },
  {
    token: 'sandbox-group-token',
    company: 'sandbox',
    groupIds: [11],
    name: 'Field Service only'
  },
  {
    token: 'othercorp-company-token',
    company: 'othercorp',
    groupIds: null,
    name: 'Other Corp'
  }
];

function steps(
  scenarioId: number,
  sequences: [string, string[]][]
): ScenarioStepFixture[] {
  let orderIndex = 0;
  return sequences.flatMap(([sequence, names]) =>
    names.map((name) => {
      orderIndex += 1;
      return {
        databaseId: scenarioId * 100 + orderIndex,
        name,
        orderIndex,
        sequence
      };
    })
  );
}

function scenario(
  databaseId: number,
  company: string,
  assetId: string,
  name: string,
  description: string,
  sequences: [string, string[]][]
): ScenarioFixture {
  return {
    databaseId,
    company,
    assetId,
    catalogDatabaseId: databaseId - 100,
    catalogName: `${name} catalog`,
    name,
    description,
    authorId: company === 'sandbox' ? 1 : 901,
    originGroupId: company === 'sandbox' ? 11 : 21,
    publishedAt: '2024-03-01T09:00:00Z',
    releases: [
      {
        databaseId: databaseId * 10 + 1,
        version: '1',
        publishedAt: '2024-03-01T09:00:00Z',
        type: 'ScenarioRelease'
      },
      {
        databaseId: databaseId * 10 + 2,
        version: '2',
        publishedAt: '2024-09-15T14:30:00Z',
        type: 'ScenarioRelease'
      }
    ],
    steps: steps(databaseId, sequences)
  };
}

export const SCENARIOS: readonly ScenarioFixture[] = [
  scenario(
    401,
    'sandbox',
    'PUMP-100',
    'Centrifugal Pump P-100 Seal Replacement',
    'Replace the mechanical seal.',
    [
      ['Preparation', ['Lock out and tag out the pump', 'Drain the casing']],
      [
        'Seal replacement',
        [
          'Remove the coupling guard',
          'Extract the mechanical seal',
          'Install the new seal'
        ]
      ],
      ['Verification', ['Run in and check for leaks']]
    ]
  ),
  scenario(
    402,
    'sandbox',
    'HVAC-7',
    'Rooftop HVAC Filter Service',
    'Quarterly filter change.',
    [
      [
        'Service',
        [
          'Isolate power',
          'Open the filter access panel',
          'Replace the filters',
          'Record the pressure drop'
        ]
      ]
    ]
  ),
  scenario(
    403,
    'sandbox',
    'GEN-3000',
    'Standby Generator Load Test',
    'Annual load bank test.',
    [
      ['Inspection', ['Inspect fluids', 'Check the battery']],
      [
        'Load test',
        [
          'Connect the load bank',
          'Start the generator',
          'Apply 50% load',
          'Apply 100% load',
          'Cool down'
        ]
      ],
      ['Report', ['Record the results']]
    ]
  ),
  scenario(404, 'sandbox', '42', 'Demo Catalog', 'The api-demo catalog.', [
    ['Demo', ['Welcome', 'Follow the instructions', 'Finish']]
  ]),
  scenario(
    405,
    'othercorp',
    'OC-1',
    'Other Corp Inspection',
    'Belongs to another company.',
    [['Inspection', ['Look', 'Listen', 'Report']]]
  )
];

export function findCompany(permalink: string): Company | undefined {
  return COMPANIES.find((company) => company.permalink === permalink);
}

export function findUser(databaseId: number): User | undefined {
  return USERS.find((user) => user.databaseId === databaseId);
}

export function findGroup(databaseId: number): Group | undefined {
  return GROUPS.find((group) => group.databaseId === databaseId);
}

export function findScenario(databaseId: number): ScenarioFixture | undefined {
  return SCENARIOS.find((item) => item.databaseId === databaseId);
}

export function findScenarioByRelease(
  releaseId: number
): ScenarioFixture | undefined {
  return SCENARIOS.find((item) =>
    item.releases.some((release) => release.databaseId === releaseId)
  );
}

export function techniciansOf(company: string): User[] {
  return USERS.filter(
    (user) => user.company === company && user.role === 'technician'
  );
}

export function expertsOf(company: string): User[] {
  return USERS.filter(
    (user) => user.company === company && user.role === 'expert'
  );
}
