// The error every Scope call fails with (typed by kind), and the Retry-After reading it carries.
/** A failed Scope API call; `status` is the HTTP status when there was a response. */
export class ScopeApiError extends Error {
  override readonly name = 'ScopeApiError';
  readonly status: number | undefined;
  /**
   * 'http' = non-2xx, 'network' = no response, 'auth' = credentials rejected, 'schema' = the tenant's
   * schema rejected our query (validation), 'graphql' = any other GraphQL error (e.g. an internal error
   * with a support reference).
   */
  readonly kind: 'http' | 'network' | 'auth' | 'schema' | 'graphql';
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    options: {
      kind: ScopeApiError['kind'];
      status?: number;
      retryAfterSeconds?: number;
      cause?: unknown;
    }
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause }
    );
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Retry-After as seconds (delta-seconds or an HTTP date), if present and sane. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now()
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
