// Reads the org's API usage from the header Salesforce returns with each REST response.
/** `Sforce-Limit-Info: api-usage=18/5000` (REST API Developer Guide, "Limit Info Header"). */
export function parseLimitInfo(
  header: string | undefined | null
): { used: number; max: number } | undefined {
  if (!header) return undefined;
  // `per-app-api-usage=…` may follow in the same header: only the org-wide entry counts.
  const match = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/.exec(header);
  if (!match) return undefined;
  return { used: Number(match[1]), max: Number(match[2]) };
}
