// One photo's bytes from Scope's signed URL, as a stream (never held whole). A URL past its
// fileURLExpiresAt is not even tried, and a 403 from the storage (S3/GCS answer an expired or bad
// signature so) means the same: the caller asks Scope for a fresh URL. A body longer than the size
// limit is cut off with FileTooLarge, whatever Content-Length said.
import { ScopeApiError } from '../scope/scope-error.ts';
import { parseRetryAfter } from '../scope/scope-error.ts';

export class PhotoUrlExpired extends Error {
  override readonly name = 'PhotoUrlExpired';
}

export class FileTooLarge extends Error {
  override readonly name = 'FileTooLarge';
  constructor(
    readonly bytes: number,
    readonly limit: number
  ) {
    super(
      `the photo is ${bytes} bytes or more, over FILES_MAX_BYTES (${limit})`
    );
  }
}

export interface OpenedDownload {
  /** From Content-Length, when the storage sent it. */
  length?: number;
  contentType?: string;
  bytes: AsyncIterable<Uint8Array>;
}

/** Past its fileURLExpiresAt (no margin: the storage checks a signed URL when the transfer starts). */
export function isExpired(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && expiresAt <= now;
}

async function* limited(
  body: ReadableStream<Uint8Array>,
  limit: number
): AsyncGenerator<Uint8Array> {
  let seen = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limit) throw new FileTooLarge(seen, limit);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export async function openDownload(
  url: string,
  options: { expiresAt?: number; maxBytes: number; now?: number }
): Promise<OpenedDownload> {
  if (isExpired(options.expiresAt, options.now ?? Date.now()))
    throw new PhotoUrlExpired('the photo URL has expired');
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ScopeApiError(`photo download: ${(error as Error).message}`, {
      kind: 'network',
      cause: error
    });
  }
  if (response.status === 403) {
    await response.body?.cancel();
    throw new PhotoUrlExpired('the storage refused the photo URL (403)');
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    throw new ScopeApiError(`photo download: HTTP ${response.status}`, {
      kind: 'http',
      status: response.status,
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter })
    });
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const length = Number.isFinite(declared) ? declared : undefined;
  if (length !== undefined && length > options.maxBytes) {
    await response.body.cancel();
    throw new FileTooLarge(length, options.maxBytes);
  }
  const contentType = response.headers.get('content-type') ?? undefined;
  return {
    ...(length === undefined ? {} : { length }),
    ...(contentType ? { contentType } : {}),
    bytes: limited(response.body, options.maxBytes)
  };
}
