import { ApiError } from '../errors.ts';
import type { FieldDef } from '../schema/types.ts';

/** Salesforce's JSON datetime format: `2024-05-01T10:00:00.000+0000`. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Milliseconds of a stored or literal datetime (`+0000`, `Z` or `±hh:mm` offsets). */
export function dateTimeMillis(value: string): number {
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(iso);
}

const DATETIME_SHAPE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function parserError(field: FieldDef, kind: string, value: unknown): ApiError {
  const token =
    typeof value === 'string'
      ? 'VALUE_STRING'
      : typeof value === 'number'
        ? 'VALUE_NUMBER'
        : typeof value === 'boolean'
          ? 'VALUE_TRUE'
          : 'START_OBJECT';
  return new ApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${token} value ${typeof value === 'object' ? JSON.stringify(value) : String(value)} or request may be missing a required field at [line:1, column:1]`,
    [field.name]
  );
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (value: string): boolean => {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact);
};

/**
 * Converts a JSON value to the stored representation of a field, the way the REST API's
 * deserializer does: wrong JSON types fail the whole request with JSON_PARSER_ERROR.
 */
export function coerceValue(field: FieldDef, value: unknown): unknown {
  if (value === null) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError(field, 'boolean', value);
    case 'double':
    case 'percent':
    case 'currency':
    case 'int': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n))
        throw parserError(
          field,
          field.type === 'int' ? 'int' : 'double',
          value
        );
      return n;
    }
    case 'datetime': {
      if (
        typeof value !== 'string' ||
        !DATETIME_SHAPE.test(value) ||
        Number.isNaN(dateTimeMillis(value))
      )
        throw parserError(field, 'datetime', value);
      // dateTime fields keep one-second precision: the milliseconds sent are dropped
      return formatDateTime(Math.floor(dateTimeMillis(value) / 1000) * 1000);
    }
    case 'base64':
      // The deserializer refuses what is not base64 (whitespace and line breaks are allowed).
      if (typeof value !== 'string' || !isBase64(value))
        throw parserError(field, 'base64', value);
      return value.replace(/\s+/g, '');
    case 'date':
      if (typeof value !== 'string' || !DATE_SHAPE.test(value))
        throw parserError(field, 'date', value);
      return value;
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
      throw parserError(field, 'String', value);
  }
}
