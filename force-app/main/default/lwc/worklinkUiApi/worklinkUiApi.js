// Reading UI API GraphQL answers and formatting Custom Labels: the small pure helpers the WorkLink
// app's pages share (worklinkHealth, worklinkSetupCheck, worklinkUnmatchedInbox).

/** `{0}`, `{1}` … in a Custom Label, as Salesforce's own label formatting. */
export function format(label, ...values) {
  return String(label).replace(/\{(\d+)\}/g, (match, i) => {
    const replacement = values[Number(i)];
    return replacement === undefined ? match : String(replacement);
  });
}

/** A GraphQL field's `value`, null when the field or its value is absent. */
export function fieldValue(field) {
  return field && field.value !== undefined ? field.value : null;
}

/** The edges of `uiapi.query.<objectName>` in a GraphQL answer ([] when there are none). */
export function edgesOf(data, objectName) {
  const connection =
    data && data.uiapi && data.uiapi.query && data.uiapi.query[objectName];
  return connection && Array.isArray(connection.edges) ? connection.edges : [];
}
