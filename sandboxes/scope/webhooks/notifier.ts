import type { Caller } from '../auth/authenticate.ts';
import type { GraphqlRuntime } from '../graphql-runtime.ts';
import {
  GENERATION1_EVENTS,
  defaultGeneration2Body
} from '../schema/undocumented.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Subscriptions } from './subscriptions.ts';

// Turns a change of a session or call into deliveries: generation 1 to the company's organization URL,
// generation 2 to every subscription of the matching topic (reference §2.1, §2.2).

export type Change = 'created' | 'updated' | 'completed';

export interface ChangeEvent {
  company: string;
  resourceType: 'ScenarioSession' | 'Call';
  resourceId: string;
  change: Change;
}

export interface Generation1Setting {
  url: string | null;
  enabled: boolean;
}

export interface Notifier {
  notify(event: ChangeEvent): Promise<void>;
  setGeneration1(company: string, setting: Generation1Setting): void;
  generation1(company: string): Generation1Setting;
  reset(): void;
}

export interface NotifierDeps {
  dispatcher: Dispatcher;
  subscriptions: Subscriptions;
  runtime: GraphqlRuntime;
  baseUrl: () => string;
  initialGeneration1Url?: string;
  /** The schema's name of the Call type: `resource-type` / `type` carry the GraphQL type name. */
  callTypeName?: string;
  now?: () => number;
}

const TOPIC_PREFIX = {
  ScenarioSession: 'scenario_session',
  Call: 'call'
} as const;

export function createNotifier(deps: NotifierDeps): Notifier {
  const now = deps.now ?? Date.now;
  const initial = (): Map<string, Generation1Setting> =>
    new Map(
      deps.initialGeneration1Url
        ? [['sandbox', { url: deps.initialGeneration1Url, enabled: true }]]
        : []
    );
  let generation1 = initial();

  // Standard Base64 ids contain `/`, which a path segment must percent-encode (`+` and `=` may stay).
  const resourceUrl = (id: string) =>
    `${deps.baseUrl()}/api/v3/graphql/object/${id.replace(/\//g, '%2F')}`;
  const typeName = (resourceType: ChangeEvent['resourceType']) =>
    resourceType === 'Call' ? (deps.callTypeName ?? 'Call') : resourceType;

  return {
    async notify(event) {
      const org = generation1.get(event.company);
      if (org?.enabled && org.url) {
        const body = {
          time: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          event: GENERATION1_EVENTS[event.change],
          type: 'resource',
          data: {
            'resource-id': event.resourceId,
            'resource-url': resourceUrl(event.resourceId),
            'resource-type': typeName(event.resourceType)
          }
        };
        deps.dispatcher.enqueue({
          generation: 1,
          url: org.url,
          topic: body.event,
          resourceId: event.resourceId,
          resourceType: event.resourceType,
          body: JSON.stringify(body),
          secret: null
        });
      }
      // A completion is also an update: subscribers of either topic hear about it.
      const changes: Change[] =
        event.change === 'completed'
          ? ['updated', 'completed']
          : [event.change];
      for (const change of changes) {
        const key = `${TOPIC_PREFIX[event.resourceType]}/${change}`;
        for (const subscription of deps.subscriptions.forTopic(
          event.company,
          key
        )) {
          let body: string;
          if (subscription.query) {
            const caller: Caller = {
              company: subscription.company,
              groupIds: null,
              userId: null,
              tokenKind: 'api'
            };
            const result = await deps.runtime.run(caller, {
              query: subscription.query,
              variables: {
                nodeId: event.resourceId,
                nodeType: typeName(event.resourceType)
              }
            });
            body = JSON.stringify(result);
          } else {
            body = JSON.stringify(
              defaultGeneration2Body(
                event.resourceId,
                resourceUrl(event.resourceId),
                typeName(event.resourceType)
              )
            );
          }
          deps.dispatcher.enqueue({
            generation: 2,
            url: subscription.callbackUrl,
            topic: key,
            topicVersion: subscription.topic.version,
            resourceId: event.resourceId,
            resourceType: event.resourceType,
            body,
            secret: subscription.sharedSecret
          });
        }
      }
    },
    setGeneration1(company, setting) {
      generation1.set(company, setting);
    },
    generation1: (company) =>
      generation1.get(company) ?? { url: null, enabled: false },
    reset() {
      generation1 = initial();
    }
  };
}
