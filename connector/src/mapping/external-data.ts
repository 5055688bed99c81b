// externalData arrives as a JSON object, or as a JSON string of one (a documented client had to
// JSON.parse it). Keys are configurable lists; a value may be an array (CONTAINS queries imply that
// keys can hold arrays), in which case the first scalar element counts.
export type ExternalData = Record<string, unknown>;

export type ParsedExternalData =
  | { ok: true; data: ExternalData | null; raw: string | null }
  | { ok: false; raw: string; reason: string };

export function parseExternalData(value: unknown): ParsedExternalData {
  if (value === null || value === undefined)
    return { ok: true, data: null, raw: null };
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: true, data: null, raw: value };
    try {
      const parsed: unknown = JSON.parse(value);
      if (isPlainObject(parsed)) return { ok: true, data: parsed, raw: value };
      return {
        ok: false,
        raw: value,
        reason: 'externalData string is JSON but not an object'
      };
    } catch {
      return {
        ok: false,
        raw: value,
        reason: 'externalData string is not valid JSON'
      };
    }
  }
  if (isPlainObject(value))
    return { ok: true, data: value, raw: JSON.stringify(value) };
  return {
    ok: false,
    raw: JSON.stringify(value),
    reason: 'externalData is neither an object nor a JSON string'
  };
}

/** The first non-empty scalar value under the first key (in configured order) that has one. */
export function lookupExternalKey(
  data: ExternalData | null,
  keys: readonly string[]
): string | undefined {
  if (!data) return undefined;
  for (const key of keys) {
    if (!Object.hasOwn(data, key)) continue;
    const value = firstScalar(data[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function firstScalar(value: unknown): string | undefined {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (typeof candidate === 'string') {
    const trimmed = candidate.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof candidate === 'number' && Number.isFinite(candidate))
    return String(candidate);
  return undefined;
}

function isPlainObject(value: unknown): value is ExternalData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
