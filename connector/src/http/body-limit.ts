// 413 as soon as a body is known to be too large, with `Connection: close`. express.raw alone answers
// only after draining the whole body (body-parser's read() dumps the request before calling next), so
// an endless chunked body would hold the connection until the request timeout. A Content-Length over
// the limit is refused before reading; a chunked body is counted as it arrives.
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './error-body.ts';

/** After the 413 is flushed, the client gets this long to stop sending before the socket is destroyed. */
const LINGER_MS = 1000;

export function rejectOversizedBodies(
  limitBytes: number,
  onRejected: () => void
) {
  const reject = (req: Request, res: Response) => {
    if (res.headersSent) return;
    onRejected();
    res.set('Connection', 'close');
    res.on('finish', () => {
      setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
    });
    sendError(
      res,
      413,
      'payload_too_large',
      `the body exceeds ${limitBytes} bytes`
    );
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      reject(req, res);
      return;
    }
    let received = 0;
    // a second 'data' listener next to body-parser's: both see every chunk (attached in the same tick)
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        req.removeListener('data', count);
        reject(req, res);
      }
    };
    req.on('data', count);
    req.once('end', () => req.removeListener('data', count));
    next();
  };
}
