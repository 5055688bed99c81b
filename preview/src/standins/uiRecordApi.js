// Stand-in for `lightning/uiRecordApi` in the local preview. `getRecord` is a real LWC wire adapter
// (constructor(dataCallback), connect, update(config), disconnect) that asks the preview server for a
// UI-API-shaped record; the server reads the Salesforce sandbox over its REST API. `updateRecord` writes
// through the server (a REST PATCH as the page's viewer) and resolves with the updated record.

const RECORD_ENDPOINT = '/preview-api/ui-api/records/';

function toQualifiedFieldName(field) {
  if (typeof field === 'string') return field;
  if (
    field &&
    typeof field.objectApiName === 'string' &&
    typeof field.fieldApiName === 'string'
  ) {
    return `${field.objectApiName}.${field.fieldApiName}`;
  }
  throw new TypeError('Value is not a string or FieldId.');
}

function toFieldList(fields) {
  if (fields === undefined || fields === null) return [];
  return (Array.isArray(fields) ? fields : [fields]).map(toQualifiedFieldName);
}

function splitQualifiedFieldApiName(qualified) {
  const idx = qualified.indexOf('.');
  if (idx < 1)
    throw new TypeError('Value does not include an object API name.');
  return qualified.substring(idx + 1).split('.');
}

/** Same contract as the platform: the value (a nested record for a relationship), or undefined. */
export function getFieldValue(record, field) {
  const path = splitQualifiedFieldApiName(toQualifiedFieldName(field));
  let current = record;
  while (path.length > 0 && current && current.fields) {
    const fieldValue = current.fields[path.shift()];
    if (fieldValue === undefined) return undefined;
    current = fieldValue.value;
  }
  return current;
}

export function getFieldDisplayValue(record, field) {
  const path = splitQualifiedFieldApiName(toQualifiedFieldName(field));
  let current = record;
  while (current && current.fields) {
    const fieldValue = current.fields[path.shift()];
    if (fieldValue === undefined) return undefined;
    if (path.length === 0) return fieldValue.displayValue;
    current = fieldValue.value;
  }
  return undefined;
}

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.connected = false;
    this.config = undefined;
    this.requestSeq = 0;
  }

  connect() {
    this.connected = true;
    this.load();
  }

  update(config) {
    this.config = config;
    this.load();
  }

  disconnect() {
    this.connected = false;
  }

  load() {
    const config = this.config;
    if (!this.connected || !config || !config.recordId) return;
    const seq = ++this.requestSeq;
    const query = new URLSearchParams();
    const fields = toFieldList(config.fields);
    const optionalFields = toFieldList(config.optionalFields);
    if (fields.length) query.set('fields', fields.join(','));
    if (optionalFields.length)
      query.set('optionalFields', optionalFields.join(','));
    fetch(`${RECORD_ENDPOINT}${encodeURIComponent(config.recordId)}?${query}`)
      .then(async (response) => {
        const body = await response.json();
        if (seq !== this.requestSeq || !this.connected) return;
        if (response.ok) {
          this.dataCallback({ data: body, error: undefined });
        } else {
          // LDS hands wire errors over as a FetchResponse-like object.
          this.dataCallback({
            data: undefined,
            error: {
              status: response.status,
              statusText: response.statusText,
              ok: false,
              body
            }
          });
        }
      })
      .catch((error) => {
        if (seq !== this.requestSeq || !this.connected) return;
        this.dataCallback({
          data: undefined,
          error: {
            status: 0,
            statusText: 'Network error',
            ok: false,
            body: { message: String(error) }
          }
        });
      });
  }
}

/** Same contract as the platform: `{fields: {Id, …}}` in, the updated record out, rejects with `{status, body}`. */
export async function updateRecord(recordInput) {
  const fields = (recordInput && recordInput.fields) || {};
  if (!fields.Id) throw new TypeError('recordInput.fields.Id is required');
  const response = await fetch(
    `${RECORD_ENDPOINT}${encodeURIComponent(fields.Id)}`,
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields })
    }
  );
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}
