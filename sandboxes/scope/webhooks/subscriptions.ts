import { WEBHOOK_TOPICS } from '../schema/undocumented.ts';

// Generation-2 webhook subscriptions, stored per company (reference §2.2).

export interface Topic {
  databaseId: number;
  key: string;
  version: string;
  resourceType: 'ScenarioSession' | 'Call';
}

export const TOPICS: readonly Topic[] = WEBHOOK_TOPICS.map((topic, index) => ({
  ...topic,
  databaseId: index + 1
}));

export interface Subscription {
  databaseId: number;
  company: string;
  topic: Topic;
  callbackUrl: string;
  sharedSecret: string | null;
  query: string | null;
  createdAt: number;
}

export interface Subscriptions {
  add(entry: Omit<Subscription, 'databaseId' | 'createdAt'>): Subscription;
  list(company: string): Subscription[];
  /** Subscriptions of a company whose topic key is `key` (any version). */
  forTopic(company: string, key: string): Subscription[];
  clear(): void;
}

/** Omitting the version selects the latest version of the key (reference §2.2). */
export function findTopic(
  key: string | undefined,
  version: string | undefined
): Topic | undefined {
  const candidates = TOPICS.filter(
    (topic) =>
      topic.key === key && (version === undefined || topic.version === version)
  );
  return candidates.sort((a, b) =>
    b.version.localeCompare(a.version, 'en', { numeric: true })
  )[0];
}

export function createSubscriptions(
  now: () => number = Date.now
): Subscriptions {
  let rows: Subscription[] = [];
  let nextId = 1;
  return {
    add(entry) {
      const row = { ...entry, databaseId: nextId++, createdAt: now() };
      rows.push(row);
      return row;
    },
    list: (company) => rows.filter((row) => row.company === company),
    forTopic: (company, key) =>
      rows.filter((row) => row.company === company && row.topic.key === key),
    clear() {
      rows = [];
    }
  };
}
