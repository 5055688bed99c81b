// A streaming multipart/form-data reader: it yields each part's headers, then its bytes chunk by
// chunk, so a part of any size passes through with at most one chunk plus a boundary held in memory.

export type MultipartEvent =
  | { type: 'part'; name: string; filename?: string; contentType?: string }
  | { type: 'data'; chunk: Buffer }
  | { type: 'end' };

export class MalformedMultipartError extends Error {}

const MAX_HEADER_BYTES = 16_384;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data; boundary=…` Content-Type, or null. */
export function multipartBoundary(
  contentType: string | undefined
): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType))
    return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function parseHeaders(raw: string): MultipartEvent & { type: 'part' } {
  const headers = new Map<string, string>();
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        line.slice(colon + 1).trim()
      );
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (!/^form-data\b/i.test(disposition) || name === undefined)
    throw new MalformedMultipartError(
      'a part has no Content-Disposition: form-data; name="…"'
    );
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = headers.get('content-type');
  return {
    type: 'part',
    name,
    ...(filename !== undefined ? { filename } : {}),
    ...(contentType !== undefined ? { contentType } : {})
  };
}

/** Reads `stream` as multipart parts separated by `boundary`. */
export async function* multipartEvents(
  stream: AsyncIterable<Buffer>,
  boundary: string
): AsyncGenerator<MultipartEvent> {
  const source = stream[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  const fill = async (): Promise<boolean> => {
    const next = await source.next();
    if (next.done) return false;
    buf = buf.length ? Buffer.concat([buf, next.value]) : next.value;
    return true;
  };
  const need = async (bytes: number) => {
    while (buf.length < bytes)
      if (!(await fill()))
        throw new MalformedMultipartError(
          'the body ends before its closing boundary'
        );
  };
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary may open the body without the CRLF before it.
  buf = Buffer.concat([CRLF, buf]);
  let found = -1;
  while ((found = buf.indexOf(delimiter)) < 0) {
    if (buf.length > MAX_HEADER_BYTES || !(await fill()))
      throw new MalformedMultipartError('no opening boundary');
  }
  buf = buf.subarray(found + delimiter.length);
  for (;;) {
    await need(2);
    if (buf[0] === 0x2d && buf[1] === 0x2d) return; // "--": the closing boundary
    if (!buf.subarray(0, 2).equals(CRLF))
      throw new MalformedMultipartError('bad boundary line');
    buf = buf.subarray(2);
    let end = -1;
    while ((end = buf.indexOf(HEADER_END)) < 0) {
      if (buf.length > MAX_HEADER_BYTES)
        throw new MalformedMultipartError('part headers too long');
      if (!(await fill()))
        throw new MalformedMultipartError('the body ends inside part headers');
    }
    yield parseHeaders(buf.subarray(0, end).toString('utf8'));
    buf = buf.subarray(end + HEADER_END.length);
    for (;;) {
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield { type: 'data', chunk: buf.subarray(0, at) };
        buf = buf.subarray(at + delimiter.length);
        break;
      }
      const keep = delimiter.length - 1;
      if (buf.length > keep) {
        yield { type: 'data', chunk: buf.subarray(0, buf.length - keep) };
        buf = Buffer.from(buf.subarray(buf.length - keep));
      }
      if (!(await fill()))
        throw new MalformedMultipartError(
          'the body ends before its closing boundary'
        );
    }
    yield { type: 'end' };
  }
}
