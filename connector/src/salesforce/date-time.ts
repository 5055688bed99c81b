// Salesforce keeps dateTime fields to the second (the milliseconds a write sends are dropped): a value
// read back is compared with ours at that precision, or every millisecond would look like a change.

/** Whole seconds since the epoch of an ISO or Salesforce (`+0000`) dateTime; NaN when unparseable. */
export function salesforceSeconds(value: string): number {
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Math.floor(Date.parse(iso) / 1000);
}

/** Whether two dateTimes are the same once Salesforce has stored them. */
export function sameSalesforceDateTime(a: string, b: string): boolean {
  return salesforceSeconds(a) === salesforceSeconds(b);
}
