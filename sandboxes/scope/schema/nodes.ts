import { canRead } from '../auth/authenticate.ts';
import { encodeNodeId, decodeNodeId } from '../node-id.ts';
import {
  COMPANIES,
  findGroup,
  findScenario,
  findScenarioByRelease,
  findUser
} from '../seed/fixtures.ts';
import { TOPICS } from '../webhooks/subscriptions.ts';
import { tag, type GraphqlContext } from './context.ts';
import {
  CHILDREN_PER_SESSION,
  callParticipants,
  scenarioOfStep,
  sessionEvents,
  sessionParts,
  sessionSteps
} from './derived.ts';

// node(id:) and every object the schema hands out: each loader returns the tagged object and whether the
// caller may read it (reference §3.6: foreign objects answer null plus "Not authorized to read object").

export interface Loaded {
  value: object;
  readable: boolean;
}

export function nodeId(
  context: GraphqlContext,
  type: string,
  databaseId: number | string
): string {
  return encodeNodeId(type, databaseId, context.config.schema.nodeIdStyle);
}

const sameCompany = (context: GraphqlContext, company: string): boolean =>
  context.caller.company === company;

function sessionChild<T extends { databaseId: number }>(
  context: GraphqlContext,
  databaseId: number,
  list: (
    session: NonNullable<ReturnType<GraphqlContext['store']['sessions']['get']>>
  ) => T[],
  typename: string
): Loaded | null {
  const session = context.store.sessions.get(
    Math.floor(databaseId / CHILDREN_PER_SESSION)
  );
  const child =
    session && list(session).find((item) => item.databaseId === databaseId);
  return session && child
    ? {
        value: tag(typename, child),
        readable: canRead(context.caller, session)
      }
    : null;
}

export function loadNode(
  context: GraphqlContext,
  type: string,
  databaseId: number
): Loaded | null {
  switch (type) {
    case 'ScenarioSession': {
      const session = context.store.sessions.get(databaseId);
      return session
        ? {
            value: tag(type, session),
            readable: canRead(context.caller, session)
          }
        : null;
    }
    case 'Call': {
      const call = context.store.calls.get(databaseId);
      // Ids name the type `Call` internally; the object carries the schema's (configurable) type name.
      return call
        ? {
            value: tag(context.config.schema.callTypeName, call),
            readable: canRead(context.caller, call)
          }
        : null;
    }
    case 'ScenarioSessionStep':
      return sessionChild(context, databaseId, sessionSteps, type);
    case 'ScenarioSessionEvent':
      return sessionChild(context, databaseId, sessionEvents, type);
    case 'Attachment':
      return sessionChild(
        context,
        databaseId,
        (session) =>
          sessionEvents(session).filter((event) => event.type === 'PHOTO'),
        type
      );
    case 'ScenarioSessionPart':
      return sessionChild(context, databaseId, sessionParts, type);
    case 'CallParticipant': {
      const call = context.store.calls.get(Math.floor(databaseId / 10));
      const participant =
        call &&
        callParticipants(call).find((item) => item.databaseId === databaseId);
      return call && participant
        ? {
            value: tag(type, participant),
            readable: canRead(context.caller, call)
          }
        : null;
    }
    case 'User': {
      const user = findUser(databaseId);
      return user
        ? {
            value: tag(type, user),
            readable: sameCompany(context, user.company)
          }
        : null;
    }
    case 'Group': {
      const group = findGroup(databaseId);
      return group
        ? {
            value: tag(type, group),
            readable: sameCompany(context, group.company)
          }
        : null;
    }
    case 'Organization': {
      const company = COMPANIES.find((item) => item.databaseId === databaseId);
      return company
        ? {
            value: tag(type, company),
            readable: sameCompany(context, company.permalink)
          }
        : null;
    }
    case 'Scenario': {
      const scenario = findScenario(databaseId);
      return scenario
        ? {
            value: tag(type, scenario),
            readable: sameCompany(context, scenario.company)
          }
        : null;
    }
    case 'ScenarioRelease': {
      const scenario = findScenarioByRelease(databaseId);
      const release = scenario?.releases.find(
        (item) => item.databaseId === databaseId
      );
      return scenario && release
        ? {
            value: tag(type, { ...release, scenario }),
            readable: sameCompany(context, scenario.company)
          }
        : null;
    }
    case 'ScenarioStep': {
      const scenario = scenarioOfStep(databaseId);
      const step = scenario?.steps.find(
        (item) => item.databaseId === databaseId
      );
      return scenario && step
        ? {
            value: tag(type, step),
            readable: sameCompany(context, scenario.company)
          }
        : null;
    }
    case 'ScenarioSequence': {
      const scenario = findScenario(Math.floor(databaseId / 10));
      const names = scenario
        ? [...new Set(scenario.steps.map((step) => step.sequence))]
        : [];
      const name = names[(databaseId % 10) - 1];
      return scenario && name
        ? {
            value: tag(type, { databaseId, name }),
            readable: sameCompany(context, scenario.company)
          }
        : null;
    }
    case 'WebhookTopic': {
      const topic = TOPICS.find((item) => item.databaseId === databaseId);
      return topic ? { value: tag(type, topic), readable: true } : null;
    }
    case 'WebhookSubscription': {
      const row = context.subscriptions
        .list(context.caller.company)
        .find((item) => item.databaseId === databaseId);
      return row ? { value: tag(type, row), readable: true } : null;
    }
    default:
      return null;
  }
}

export function loadNodeById(
  context: GraphqlContext,
  id: string
): Loaded | null {
  const decoded = decodeNodeId(id, context.config.schema.nodeIdStyle);
  return decoded
    ? loadNode(context, decoded.type, Number(decoded.databaseId))
    : null;
}

/** A reachable object (author, user, group) or null when it is foreign or missing. */
export function readable(
  context: GraphqlContext,
  type: string,
  databaseId: number | null | undefined
): object | null {
  if (databaseId == null) return null;
  const loaded = loadNode(context, type, databaseId);
  return loaded?.readable ? loaded.value : null;
}

export function sequenceId(scenarioId: number, sequence: string): number {
  const scenario = findScenario(scenarioId);
  const names = scenario
    ? [...new Set(scenario.steps.map((step) => step.sequence))]
    : [];
  return scenarioId * 10 + names.indexOf(sequence) + 1;
}
