import {
  createSessionTokens,
  type SessionTokens
} from './auth/session-tokens.ts';
import { createFaultState, type FaultState } from './faults.ts';
import {
  createGraphqlRuntime,
  type GraphqlRuntime
} from './graphql-runtime.ts';
import type { SandboxConfig } from './options.ts';
import { createScopeSchema } from './schema/build-schema.ts';
import { createPrng, mixSeed } from './seed/prng.ts';
import { createSimulator, type Simulator } from './simulator/simulator.ts';
import { createStats, type Stats } from './stats.ts';
import { createPhotoFiles, type PhotoFiles } from './files/photo-files.ts';
import { createStore, type Store } from './store/store.ts';
import { createDispatcher, type Dispatcher } from './webhooks/dispatcher.ts';
import { createNotifier, type Notifier } from './webhooks/notifier.ts';
import {
  createSubscriptions,
  type Subscriptions
} from './webhooks/subscriptions.ts';

// Wires the sandbox's parts together; the HTTP layer and the in-process API both use this.

export interface Services {
  config: SandboxConfig;
  store: Store;
  stats: Stats;
  faults: FaultState;
  /** Seeded randomness for fault decisions, so a faulty run can be repeated. */
  random: () => number;
  tokens: SessionTokens;
  subscriptions: Subscriptions;
  runtime: GraphqlRuntime;
  dispatcher: Dispatcher;
  notifier: Notifier;
  simulator: Simulator;
  photos: PhotoFiles;
  baseUrl(): string;
  /** Back to the seeded state: rows, subscriptions, deliveries, stats, faults. */
  reset(): void;
  close(): void;
}

export function createServices(
  config: SandboxConfig,
  baseUrl: () => string
): Services {
  const store = createStore(config.seed);
  const stats = createStats();
  const faults = createFaultState(config.faults);
  const random = createPrng(mixSeed(config.seed.seed, 99, 0));
  const tokens = createSessionTokens(() => config.tokenTtlSeconds);
  const subscriptions = createSubscriptions();
  const photos = createPhotoFiles(config.files);
  const runtime = createGraphqlRuntime({
    photos,
    schema: createScopeSchema(config.schema),
    store,
    config,
    subscriptions,
    stats,
    baseUrl
  });
  const dispatcher = createDispatcher({
    webhook: config.webhook,
    faults: faults.get,
    random
  });
  const notifier = createNotifier({
    dispatcher,
    subscriptions,
    runtime,
    baseUrl,
    initialGeneration1Url: config.webhook.generation1Url,
    callTypeName: config.schema.callTypeName
  });
  const simulator = createSimulator({ store, config, notifier });
  return {
    config,
    store,
    stats,
    faults,
    random,
    tokens,
    subscriptions,
    runtime,
    dispatcher,
    notifier,
    simulator,
    photos,
    baseUrl,
    reset() {
      photos.reset();
      simulator.reset();
      store.sessions.reset();
      store.calls.reset();
      subscriptions.clear();
      dispatcher.clear();
      notifier.reset();
      stats.reset();
      faults.reset();
    },
    close() {
      simulator.close();
      dispatcher.close();
    }
  };
}
