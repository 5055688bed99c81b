import type {
  SalesforceReader,
  SObjectDescribe,
  SoqlRecord
} from './salesforce-reader.ts';

/** A field value as the UI API returns it; relationship values are nested records. */
export interface UiFieldValue {
  displayValue: string | null;
  value: string | number | boolean | UiRecord | null;
}

/** The record shape `getRecord` emits on the platform (UI API `Record` representation). */
export interface UiRecord {
  apiName: string;
  childRelationships: Record<string, never>;
  eTag: string;
  fields: Record<string, UiFieldValue>;
  id: string | null;
  lastModifiedById: string | null;
  lastModifiedDate: string | null;
  recordTypeId: string | null;
  recordTypeInfo: null;
  systemModstamp: string | null;
  weakEtag: number;
}

export class UiApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  constructor(status: number, errorCode: string, message: string) {
    super(message);
    this.name = 'UiApiError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isSoqlRecord(
  value: unknown
): value is SoqlRecord & { attributes: { type: string } } {
  return typeof value === 'object' && value !== null && 'attributes' in value;
}

/** Converts one SOQL row (nested relationship objects carry `attributes`) into a UI API record. */
export function toUiRecord(
  row: SoqlRecord & { attributes: { type: string } }
): UiRecord {
  const fields: Record<string, UiFieldValue> = {};
  for (const [name, raw] of Object.entries(row)) {
    if (name === 'attributes') continue;
    if (isSoqlRecord(raw)) {
      const nested = toUiRecord(raw);
      const nameValue = nested.fields.Name?.value;
      fields[name] = {
        displayValue: typeof nameValue === 'string' ? nameValue : null,
        value: nested
      };
    } else if (
      raw === null ||
      typeof raw === 'string' ||
      typeof raw === 'number' ||
      typeof raw === 'boolean'
    ) {
      fields[name] = { displayValue: null, value: raw };
    }
  }
  const id = typeof row.Id === 'string' ? row.Id : null;
  return {
    apiName: row.attributes.type,
    childRelationships: {},
    eTag: '',
    fields,
    id,
    lastModifiedById: null,
    lastModifiedDate: null,
    recordTypeId: null,
    recordTypeInfo: null,
    systemModstamp: null,
    weakEtag: 0
  };
}

/** For a `WorkOrder.Asset.Name`-style list, the object name and the field paths relative to it. */
function splitQualified(
  qualifiedFields: string[]
): { objectApiName: string; path: string }[] {
  return qualifiedFields.map((qualified) => {
    const [objectApiName, ...path] = qualified.split('.');
    if (
      !objectApiName ||
      path.length === 0 ||
      ![objectApiName, ...path].every((part) => FIELD_NAME.test(part))
    ) {
      throw new UiApiError(400, 'INVALID_FIELD', `Invalid field: ${qualified}`);
    }
    return { objectApiName, path: path.join('.') };
  });
}

/**
 * Serves `getRecord` the way the UI API does, from SOQL: required `fields` must all be readable (else an
 * error), `optionalFields` the running user cannot see are left out. Readability comes from describe, so
 * the integration user's field-level security decides, as it would in the org.
 */
export function createUiRecordService(salesforce: SalesforceReader) {
  async function resolvePath(
    objectApiName: string,
    path: string
  ): Promise<boolean> {
    let describe: SObjectDescribe = await salesforce.describe(objectApiName);
    const segments = path.split('.');
    for (const [index, segment] of segments.entries()) {
      if (index === segments.length - 1)
        return describe.fields.some((field) => field.name === segment);
      const relationship = describe.fields.find(
        (field) => field.relationshipName === segment
      );
      const target = relationship?.referenceTo[0];
      if (!target) return false;
      describe = await salesforce.describe(target);
    }
    return false;
  }

  return {
    async getRecord(
      recordId: string,
      fields: string[],
      optionalFields: string[]
    ): Promise<UiRecord> {
      if (!RECORD_ID.test(recordId))
        throw new UiApiError(
          400,
          'MALFORMED_ID',
          `Invalid record id: ${recordId}`
        );
      const required = splitQualified(fields);
      const optional = splitQualified(optionalFields);
      const objectApiName = (required[0] ?? optional[0])?.objectApiName;
      if (!objectApiName)
        throw new UiApiError(
          400,
          'INVALID_FIELD',
          'fields or optionalFields are required'
        );
      if (
        [...required, ...optional].some(
          (field) => field.objectApiName !== objectApiName
        )
      ) {
        throw new UiApiError(
          400,
          'INVALID_FIELD',
          'All fields must belong to one object'
        );
      }
      const selected = new Set<string>(['Id']);
      for (const { path } of required) {
        if (!(await resolvePath(objectApiName, path))) {
          throw new UiApiError(
            400,
            'INVALID_FIELD',
            `No such column '${path}' on entity '${objectApiName}'`
          );
        }
        selected.add(path);
      }
      for (const { path } of optional) {
        if (await resolvePath(objectApiName, path)) selected.add(path);
      }
      for (const path of [...selected]) {
        const segments = path.split('.');
        for (let i = 1; i < segments.length; i++)
          selected.add([...segments.slice(0, i), 'Id'].join('.'));
      }
      const rows = await salesforce.query(
        `SELECT ${[...selected].join(', ')} FROM ${objectApiName} WHERE Id = '${recordId}'`
      );
      const row = rows[0];
      if (!row || !isSoqlRecord(row)) {
        throw new UiApiError(
          404,
          'NOT_FOUND',
          'The requested resource does not exist'
        );
      }
      return toUiRecord(row);
    }
  };
}

export type UiRecordService = ReturnType<typeof createUiRecordService>;
