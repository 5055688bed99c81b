// Cursor paging as an async generator: one page in memory at a time, retries of transient failures
// (network, 5xx, 429: the worker's classification) with capped exponential backoff, and a stop on
// abort. Each page is one request of the Scope client's pager (scope-queries.ts requestPage), made by
// `fetchPage`. The caller persists `endCursor` once it has committed a page; passing it back resumes there.
import type { Page } from '../scope/index.ts';
import { classifyError } from '../worker/index.ts';

export interface PageStreamOptions {
  fetchPage: (after: string | null) => Promise<Page>;
  after: string | null;
  signal?: AbortSignal;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (attempt: number, reason: string) => void;
}

export class SyncAbortedError extends Error {
  constructor() {
    super('sync pass aborted');
    this.name = 'SyncAbortedError';
  }
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export async function* pageStream(
  options: PageStreamOptions
): AsyncGenerator<Page> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  let after = options.after;
  for (;;) {
    if (options.signal?.aborted) throw new SyncAbortedError();
    let page: Page | undefined;
    for (let attempt = 1; !page; attempt += 1) {
      try {
        page = await options.fetchPage(after);
      } catch (error) {
        const classification = classifyError(error);
        if (classification.kind === 'dead' || attempt >= maxAttempts)
          throw error;
        const delay = Math.min(
          cap,
          classification.retryAfterSeconds
            ? classification.retryAfterSeconds * 1000
            : base * 2 ** (attempt - 1)
        );
        options.onRetry?.(attempt, classification.reason);
        await wait(delay * (0.5 + Math.random() / 2), options.signal);
        if (options.signal?.aborted) throw new SyncAbortedError();
      }
    }
    yield page;
    // A page that moves nowhere would loop forever: stop rather than trust hasNextPage.
    if (
      !page.hasNextPage ||
      page.endCursor === null ||
      page.endCursor === after
    )
      return;
    after = page.endCursor;
  }
}
