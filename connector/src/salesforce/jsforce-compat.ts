// The one place the connector reaches into jsforce internals.
//
// Why: each Salesforce call must be counted with its HTTP status (metrics), must read its own
// Sforce-Limit-Info (the slowdown near the daily limit) and must report that status in its error, even
// when jsforce repeated it after a token refresh. `Connection.request` returns only the body, and its
// errors carry no status; it does accept a per-request `transport`, but the default transport to wrap
// is only reachable as the private `Connection._transport` (jsforce 3.10.16).
//
// Remove when: jsforce exposes the HTTP response of a request (status and headers) through a public
// API, or its default Transport can be built publicly; then wrap that instead of `_transport`.
import type { Connection } from 'jsforce';

type Transport = Connection['_transport'];

export interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
}

export interface ResponseObserver {
  /** Every HTTP response of the request, the one before a token refresh included. */
  onResponse(response: HttpResponseLike): void;
  /** The request got no response at all. */
  onNetworkError(): void;
}

/** A transport for one request that tells `observer` what each HTTP exchange answered. */
export function observedTransport(
  conn: Connection,
  observer: ResponseObserver
): Pick<Transport, 'httpRequest'> {
  const base: Transport = conn._transport;
  return {
    httpRequest(
      req: Parameters<Transport['httpRequest']>[0],
      opts: Parameters<Transport['httpRequest']>[1]
    ) {
      const pending = base.httpRequest(req, opts);
      pending.then(
        (response) => observer.onResponse(response),
        () => observer.onNetworkError()
      );
      return pending;
    }
  };
}
