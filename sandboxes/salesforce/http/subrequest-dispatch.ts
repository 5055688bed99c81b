import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Express, Request } from 'express';

/** What a subrequest of a composite request asks for, after its references are substituted. */
export interface Subrequest {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A subrequest's answer, as the composite response reports it. */
export interface SubrequestAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Records the route reported (the request log's `records`). */
  records: number;
}

/** The running user of the composite request a subrequest belongs to. */
export interface SubrequestContext {
  userId: string;
}

const SUBREQUEST = Symbol('composite subrequest');

type Handle = (
  req: IncomingMessage,
  res: ServerResponse,
  done: () => void
) => void;

/** The composite context of a request that is a subrequest, or undefined for a request from the network. */
export function subrequestContext(req: Request): SubrequestContext | undefined {
  return (req as unknown as Record<symbol, SubrequestContext | undefined>)[
    SUBREQUEST
  ];
}

// Headers a subrequest answer keeps; the rest belong to the top-level response.
const KEPT_HEADERS = ['location', 'etag', 'last-modified'];

/**
 * Runs one subrequest through the app's own routes, in process: the same authentication (the
 * composite's user), sharing, field-level security and validation as a direct call, without counting
 * it as a call or logging it as a request.
 */
export function dispatchSubrequest(
  app: Express,
  context: SubrequestContext,
  sub: Subrequest
): Promise<SubrequestAnswer> {
  const req = new IncomingMessage(new Socket());
  req.method = sub.method;
  req.url = sub.url;
  req.headers = {
    ...Object.fromEntries(
      Object.entries(sub.headers).map(([k, v]) => [k.toLowerCase(), v])
    ),
    'content-type': 'application/json'
  };
  req.complete = true;
  req.push(null);
  (req as unknown as Record<string, unknown>).body = sub.body;
  (req as unknown as Record<symbol, SubrequestContext>)[SUBREQUEST] = context;
  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function')
      return;
    chunks.push(
      Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(
            String(chunk),
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'
          )
    );
  };
  return new Promise((resolve) => {
    res.write = ((chunk: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      collect(chunk, encoding);
      resolve(answerOf(res, Buffer.concat(chunks)));
      return res;
    }) as typeof res.end;
    (app as unknown as { handle: Handle }).handle(req, res, () =>
      resolve({ status: 404, headers: {}, body: null, records: 0 })
    );
  });
}

function answerOf(res: ServerResponse, raw: Buffer): SubrequestAnswer {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[canonical(name)] = String(value);
  }
  const type = String(res.getHeader('content-type') ?? '');
  const text = raw.toString('utf8');
  let body: unknown = text.length === 0 ? null : text;
  if (text.length > 0 && /json/i.test(type)) body = JSON.parse(text);
  const locals = (res as unknown as { locals?: Record<string, unknown> })
    .locals;
  return {
    status: res.statusCode,
    headers,
    body,
    records: Number(locals?.records ?? 0)
  };
}

const canonical = (name: string): string =>
  name.replace(
    /(^|-)([a-z])/g,
    (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`
  );
