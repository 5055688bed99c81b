// The Scope part of `connector doctor`: what the tenant's schema offers against what the connector
// asks for. Each check is one line of the report: the selected fields, the Call type and calls root
// (configured or discovered), the "changed since" filters the sync can use (these three read the
// client's one cached introspection), and the tenant's webhook subscriptions, each custom `query` held
// to the rule that it selects the node's `id` and `__typename`.
import type { ConnectorConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createScopeClient } from '../scope/index.ts';
import type { ScopeClient } from '../scope/index.ts';
import { scopeClientOptions } from './create-processing.ts';
import { checkScopeSchema } from '../scope/check-schema.ts';
import { describeCallSchema } from '../scope/call-schema.ts';
import { subscriptionQueryProblems } from '../scope/subscription-query-rule.ts';
import { listWebhookSubscriptions } from '../scope/webhook-subscriptions.ts';

export interface ScopeDoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

type DoctorScope = Pick<
  ScopeClient,
  'execute' | 'currentSelections' | 'callSchema' | 'capabilities'
>;

const failure = (name: string, error: unknown): ScopeDoctorCheck => ({
  name,
  ok: false,
  detail: (error instanceof Error ? error.message : String(error)).slice(0, 300)
});

async function selectedFieldsCheck(
  scope: DoctorScope
): Promise<ScopeDoctorCheck> {
  const reports = await checkScopeSchema(scope);
  const problems = reports.flatMap((r) =>
    r.typeMissing
      ? [`${r.kind}: type ${r.typeName} not in the schema`]
      : r.missingFields.length > 0
        ? [`${r.typeName} lacks ${r.missingFields.join(', ')}`]
        : []
  );
  return {
    name: 'scope schema',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `every selected field exists (${reports.map((r) => r.typeName).join(', ')})`
        : problems.join('; ')
  };
}

async function callTypeCheck(scope: DoctorScope): Promise<ScopeDoctorCheck> {
  const schema = await scope.callSchema();
  return {
    name: 'scope call type',
    ok: schema.typeName !== null && schema.rootField !== null,
    detail: describeCallSchema(schema)
  };
}

async function dateFilterCheck(scope: DoctorScope): Promise<ScopeDoctorCheck> {
  const capabilities = await scope.capabilities();
  const describe = (label: string, since: string | undefined) =>
    `${label}: ${since ?? 'none (the sync pages everything)'}`;
  return {
    name: 'scope date filters',
    ok: true,
    detail: [
      describe('scenarioSessions', capabilities.sessions.sinceArgument),
      ...(capabilities.calls.rootField
        ? [
            describe(
              capabilities.calls.rootField,
              capabilities.calls.sinceArgument
            )
          ]
        : [])
    ].join('; ')
  };
}

async function subscriptionsCheck(
  scope: DoctorScope
): Promise<ScopeDoctorCheck> {
  let subscriptions;
  try {
    subscriptions = await listWebhookSubscriptions(scope);
  } catch (error) {
    // The listing root is a guess (reference §2.2 documents the objects, not a query for them).
    return {
      name: 'scope webhook subscriptions',
      ok: true,
      detail: `not checked: ${(error as Error).message.slice(0, 200)}`
    };
  }
  const bad = subscriptions.flatMap((s) => {
    const problems = s.query ? subscriptionQueryProblems(s.query) : [];
    return problems.length > 0
      ? [
          `${s.id} (${s.topic ?? 'no topic'} → ${s.callbackUrl ?? 'no URL'}): custom query ${problems.join(', ')}`
        ]
      : [];
  });
  const custom = subscriptions.filter((s) => s.query).length;
  return {
    name: 'scope webhook subscriptions',
    ok: bad.length === 0,
    detail:
      bad.length === 0
        ? `${subscriptions.length} subscription(s), ${custom} with a custom query, all select id and __typename`
        : `a custom query must select id and __typename: ${bad.join('; ')}`
  };
}

/** Every Scope schema check; a check that throws becomes a failed line, the others still run. */
export async function scopeDoctorChecks(
  scope: DoctorScope
): Promise<ScopeDoctorCheck[]> {
  const checks: [string, (s: DoctorScope) => Promise<ScopeDoctorCheck>][] = [
    ['scope schema', selectedFieldsCheck],
    ['scope call type', callTypeCheck],
    ['scope date filters', dateFilterCheck],
    ['scope webhook subscriptions', subscriptionsCheck]
  ];
  const results: ScopeDoctorCheck[] = [];
  for (const [name, run] of checks) {
    try {
      results.push(await run(scope));
    } catch (error) {
      results.push(failure(name, error));
    }
  }
  return results;
}

/**
 * The Scope client `doctor` checks with: the processing side's when it could be built, else one of its
 * own, so the Scope checks still run when Salesforce is not configured. Undefined without Scope auth.
 */
export function doctorScopeClient(
  config: ConnectorConfig,
  processingScope: ScopeClient | undefined,
  logger?: Logger
): ScopeClient | undefined {
  if (processingScope) return processingScope;
  try {
    return createScopeClient(scopeClientOptions(config, { logger }));
  } catch {
    return undefined;
  }
}
