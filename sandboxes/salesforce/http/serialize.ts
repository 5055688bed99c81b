import type { Schema, SObjectDef } from '../schema/types.ts';
import type { SRecord } from '../store/record-store.ts';

export const recordUrl = (apiVersion: string, type: string, id: unknown) =>
  `/services/data/v${apiVersion}/sobjects/${type}/${String(id)}`;

/** A record as the REST API returns it: attributes first, then the requested (or all readable) fields. */
export function serializeRecord(
  schema: Schema,
  def: SObjectDef,
  record: SRecord,
  apiVersion: string,
  fieldNames?: string[]
): SRecord {
  const out: SRecord = {
    attributes: {
      type: def.name,
      url: recordUrl(apiVersion, def.name, record.Id)
    }
  };
  const fields = fieldNames
    ? fieldNames
        .map((n) => schema.getField(def, n))
        .filter((f) => f !== undefined)
    : [...def.fields.values()].filter(
        (f) => schema.access.fieldAccess(def.name, f.name).readable
      );
  for (const f of fields) out[f.name] = record[f.name] ?? null;
  return out;
}
