// A small client of the Analytics REST API as the tests use it: describe a dashboard, run each of its
// components' reports (optionally over a custom date range) and read the figures per grouping.
export interface AnalyticsSession {
  instanceUrl: string;
  accessToken: string;
  version?: string;
}

export interface Aggregate {
  label: string;
  value: number | null;
}

export interface ReportAnswer {
  factMap: Record<
    string,
    {
      aggregates: Aggregate[];
      rows?: { dataCells: { label: string; value: unknown }[] }[];
    }
  >;
  groupingsDown: {
    groupings: { key: string; label: string; value: unknown }[];
  };
  reportMetadata: {
    developerName: string;
    aggregates: string[];
    detailColumns: string[];
  };
}

export async function analytics(
  session: AnalyticsSession,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(
    `${session.instanceUrl}/services/data/v${session.version ?? '68.0'}/analytics${path}`,
    {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'content-type': 'application/json'
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) })
    }
  );
  return { status: response.status, body: await response.json() };
}

/** Per grouping label of the first level: the report's aggregates in its order (RowCount last). */
export function figuresByGroup(answer: ReportAnswer): Map<string, Aggregate[]> {
  return new Map(
    answer.groupingsDown.groupings.map((g) => [
      g.label,
      answer.factMap[`${g.key}!T`]?.aggregates ?? []
    ])
  );
}

/** Runs every report of a dashboard over [startDate, endDate] (UTC days, inclusive). */
export async function runDashboard(
  session: AnalyticsSession,
  dashboardId: string,
  range?: { startDate: string; endDate: string }
): Promise<Map<string, ReportAnswer>> {
  const described = (
    await analytics(session, `/dashboards/${dashboardId}/describe`)
  ).body as {
    components: { reportId: string }[];
  };
  const answers = new Map<string, ReportAnswer>();
  for (const component of described.components) {
    const describe = (
      await analytics(session, `/reports/${component.reportId}/describe`)
    ).body as {
      reportMetadata: { standardDateFilter: { column: string } | null };
    };
    const column = describe.reportMetadata.standardDateFilter?.column;
    const run = await analytics(session, `/reports/${component.reportId}`, {
      method: 'POST',
      body: {
        reportMetadata:
          range && column
            ? {
                standardDateFilter: {
                  column,
                  durationValue: 'CUSTOM',
                  ...range
                }
              }
            : {}
      }
    });
    if (run.status !== 200)
      throw new Error(
        `report ${component.reportId}: ${JSON.stringify(run.body)}`
      );
    const answer = run.body as ReportAnswer;
    answers.set(answer.reportMetadata.developerName, answer);
  }
  return answers;
}
