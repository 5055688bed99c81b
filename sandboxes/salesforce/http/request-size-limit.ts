import type { NextFunction, Request, Response } from 'express';

// Salesforce refuses a request whose URI plus headers exceed 16,384 bytes (Help article 000386264):
// 414 when the request line alone is too long, 431 when the headers push it over. The HTTP server is
// started with a larger `maxHeaderSize`, so that this check (not Node's own 16 KiB default, which
// answers a bare 431 and closes) decides, with the same limit for every route.
export const REQUEST_SIZE_LIMIT_BYTES = 16_384;
/** Room for the server to read requests the limit then refuses with an answer. */
export const SERVER_MAX_HEADER_BYTES = 65_536;

export function requestSizeBytes(request: Request): {
  uri: number;
  total: number;
} {
  const uri = Buffer.byteLength(request.originalUrl);
  let headers = 0;
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2)
    headers += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}\r\n`);
  return { uri, total: uri + headers };
}

export function requestSizeLimit(limit = REQUEST_SIZE_LIMIT_BYTES) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const size = requestSizeBytes(request);
    if (size.total <= limit) {
      next();
      return;
    }
    // The body Salesforce's edge sends here is not documented; this one says what happened.
    const uriTooLong = size.uri > limit;
    response
      .status(uriTooLong ? 414 : 431)
      .set('Connection', 'close')
      .type('text/plain')
      .send(
        uriTooLong
          ? `414 Request-URI Too Long: ${size.uri} bytes (limit ${limit} for URI and headers)`
          : `431 Request Header Fields Too Large: ${size.total} bytes of URI and headers (limit ${limit})`
      );
  };
}
