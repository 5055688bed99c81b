/** The answers of earlier subrequests by referenceId, for `@{refId.path}` references. */
export type ReferenceResults = Map<string, unknown>;

/** A reference that names an unknown or later referenceId, or a path its answer does not have. */
export class UnresolvedReference extends Error {
  constructor(
    readonly referenceId: string,
    readonly path: string
  ) {
    super(
      `Invalid reference specified. No value for ${referenceId}${path} found in ${referenceId}. Provided referenceId ('${referenceId}') might be wrong.`
    );
  }
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_$]+|\[\d+\])+)\}/g;

/** The value at `.field`, `[n]` or a chain of them, in an earlier subrequest's answer. */
function lookUp(results: ReferenceResults, refId: string, path: string) {
  if (!results.has(refId)) throw new UnresolvedReference(refId, path);
  let value: unknown = results.get(refId);
  for (const [, field, index] of path.matchAll(
    /\.([A-Za-z0-9_$]+)|\[(\d+)\]/g
  )) {
    const key = field ?? Number(index);
    const container = value as Record<string | number, unknown> | null;
    if (
      container === null ||
      typeof container !== 'object' ||
      !(key in container)
    )
      throw new UnresolvedReference(refId, path);
    value = container[key];
  }
  if (value === undefined || value === null)
    throw new UnresolvedReference(refId, path);
  return value;
}

/** A string with its references replaced; a string that is one reference takes the value's own type. */
function substituteString(text: string, results: ReferenceResults): unknown {
  const whole = new RegExp(`^${REFERENCE.source}$`).exec(text);
  if (whole) return lookUp(results, whole[1] as string, whole[2] as string);
  return text.replace(REFERENCE, (_m, refId: string, path: string) => {
    const value = lookUp(results, refId, path);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/** Replaces `@{refId.path}` references in a URL (URL-encoded) or anywhere in a JSON body. */
export function substituteUrl(url: string, results: ReferenceResults): string {
  return url.replace(REFERENCE, (_m, refId: string, path: string) =>
    encodeURIComponent(String(lookUp(results, refId, path)))
  );
}

export function substituteBody(
  body: unknown,
  results: ReferenceResults
): unknown {
  if (typeof body === 'string') return substituteString(body, results);
  if (Array.isArray(body)) return body.map((v) => substituteBody(v, results));
  if (body && typeof body === 'object')
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, substituteBody(v, results)])
    );
  return body;
}
