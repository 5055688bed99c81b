import type { Caller } from '../auth/authenticate.ts';
import type { SandboxConfig } from '../options.ts';
import type { Store } from '../store/store.ts';
import type { Subscriptions } from '../webhooks/subscriptions.ts';
import type { PhotoFiles } from '../files/photo-files.ts';

export interface GraphqlContext {
  caller: Caller;
  store: Store;
  config: SandboxConfig;
  subscriptions: Subscriptions;
  /** Base URL for resource URLs and photo URLs. */
  baseUrl: string;
  /** Photo names, sizes and signed URLs. */
  photos: PhotoFiles;
  /** Memoised totalCount values, keyed by query and table version. */
  counts: Map<string, number>;
  /** Validates a subscription's custom query against this schema; returns error messages. */
  validateQuery(source: string): string[];
}

/** Objects handed to graphql-js carry their type name so the Node interface can resolve them. */
export type Tagged<T> = T & { __typename: string };

export function tag<T extends object>(typename: string, value: T): Tagged<T> {
  return { ...value, __typename: typename };
}
