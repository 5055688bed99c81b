import type { ExternalData } from './records.ts';

// External data keys are kept exactly as sent (reference §1.3: "any number of extra query parameters"),
// including `__proto__` and `constructor`: a null-prototype object has no inherited keys to collide with.

export function emptyExternalData(): ExternalData {
  return Object.create(null) as ExternalData;
}

/** Own enumerable keys of a parsed JSON object, copied without the `__proto__` setter. */
export function copyExternalData(source: object): ExternalData {
  const copy = emptyExternalData();
  for (const key of Object.keys(source))
    copy[key] = (source as Record<string, unknown>)[key];
  return copy;
}

/** The value under `key`, never an inherited one (a plain object's `constructor`). */
export function externalDataValue(data: ExternalData, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}
