import { ApiError, notFound, recordErrorsToApiError } from '../errors.ts';
import type { Request, Response } from 'express';
import type { SaveOutcome } from '../store/dml.ts';
import type { FieldDef, Schema, SObjectDef } from '../schema/types.ts';
import type { SRecord } from '../store/record-store.ts';

/** The sObject named in a URL; unknown or unreadable types are 404 NOT_FOUND like the real API. */
export function objectFromUrl(schema: Schema, type: string): SObjectDef {
  const def = schema.getObject(type);
  if (!def || !schema.access.objectAccess(def.name).read) throw notFound();
  return def;
}

/** The field used for an upsert or retrieve by external id. */
export function externalIdField(
  schema: Schema,
  def: SObjectDef,
  name: string
): FieldDef {
  const field = schema.getField(def, name);
  if (!field || !schema.access.fieldAccess(def.name, field.name).readable) {
    throw new ApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`
    );
  }
  if (!field.externalId && field.name !== 'Id') {
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `Field name provided, ${field.name} is not an External ID or indexed field for ${def.name}`
    );
  }
  return field;
}

export function requireBody(body: unknown): SRecord {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object'
    );
  }
  return body as SRecord;
}

/** A per-record result in the sObject Collections shape. */
export function collectionResult(
  outcome: SaveOutcome,
  withCreated: boolean
): SRecord {
  if (!outcome.success) return { success: false, errors: outcome.errors };
  return withCreated
    ? { id: outcome.id, success: true, errors: [], created: outcome.created }
    : { id: outcome.id, success: true, errors: [] };
}

/** Throws the REST error array for a failed single-record write. */
export function assertSaved(
  outcome: SaveOutcome
): Extract<SaveOutcome, { success: true }> {
  if (!outcome.success) throw recordErrorsToApiError(outcome.errors);
  return outcome;
}

export function setRecordCount(res: Response, count: number): void {
  res.locals.records = count;
}

/** Field names from `?fields=a,b` or a JSON array, checked against the user's read access. */
export function requestedFields(
  schema: Schema,
  def: SObjectDef,
  raw: unknown
): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = (Array.isArray(raw) ? raw.map(String) : String(raw).split(','))
    .map((n) => n.trim())
    .filter(Boolean);
  return names.map((n) => {
    const field = schema.getField(def, n);
    if (!field || !schema.access.fieldAccess(def.name, field.name).readable) {
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${n}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    return field.name;
  });
}

/**
 * Runs `answer` once the rest of the request body has been read and dropped. Answering a large
 * upload early would close the socket while the client is still sending, and the client would see
 * a reset instead of the error.
 */
export function whenBodyRead(req: Request, answer: () => void): void {
  if (req.readableEnded || req.complete) {
    answer();
    return;
  }
  let answered = false;
  const once = () => {
    if (answered) return;
    answered = true;
    answer();
  };
  req.on('end', once);
  req.on('error', once);
  req.on('close', once);
  // A reader that stopped half-way (an async iterator) leaves a 'readable' listener, which would keep
  // the stream paused whatever resume() says.
  req.removeAllListeners('readable');
  req.resume();
}
