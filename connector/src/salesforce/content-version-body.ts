// The two request bodies Salesforce accepts for a new ContentVersion (REST API Developer Guide,
// "Insert or Update Blob Data"), both streamed from the download so a file is never held whole:
//  - JSON with VersionData as base64: the base64 is encoded chunk by chunk (3-byte groups carried over);
//  - multipart/form-data: an `entity_content` JSON part, then a `VersionData` binary part.
import { randomBytes } from 'node:crypto';
import type { StreamedBody } from './streamed-request.ts';

export interface ContentVersionFields {
  Title: string;
  Description: string;
  PathOnClient: string;
  FirstPublishLocationId: string;
  WorkLink_Scope_Event_Id__c: string;
}

const encoder = new TextEncoder();

/** base64 of a byte stream, chunk by chunk (a chunk's last 0–2 bytes wait for the next). */
export async function* base64Chunks(
  bytes: AsyncIterable<Uint8Array>
): AsyncGenerator<Uint8Array> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of bytes) {
    const all =
      carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk);
    const whole = all.length - (all.length % 3);
    if (whole > 0)
      yield encoder.encode(all.subarray(0, whole).toString('base64'));
    carry = Buffer.from(all.subarray(whole));
  }
  if (carry.length > 0) yield encoder.encode(carry.toString('base64'));
}

/** Bytes of the base64 text of `size` bytes. */
const base64Length = (size: number) => Math.ceil(size / 3) * 4;

export function jsonBody(
  fields: ContentVersionFields,
  bytes: AsyncIterable<Uint8Array>,
  size?: number
): StreamedBody {
  const json = JSON.stringify({ ...fields, VersionData: '' });
  // the JSON ends with `""}`: the base64 goes between the quotes
  const head = encoder.encode(json.slice(0, -2));
  const tail = encoder.encode('"}');
  async function* stream() {
    yield head;
    yield* base64Chunks(bytes);
    yield tail;
  }
  return {
    contentType: 'application/json',
    stream: stream(),
    ...(size === undefined
      ? {}
      : { length: head.length + base64Length(size) + tail.length })
  };
}

/** A multipart boundary that cannot occur in the JSON part (hex only) and is unlikely in the bytes. */
const newBoundary = () => `worklink_${randomBytes(16).toString('hex')}`;

export function multipartBody(
  fields: ContentVersionFields,
  bytes: AsyncIterable<Uint8Array>,
  contentType: string,
  size?: number,
  boundary = newBoundary()
): StreamedBody {
  const fileName = fields.PathOnClient.replace(/["\r\n]/g, '_');
  const head = encoder.encode(
    `--${boundary}\r\n` +
      'Content-Disposition: form-data; name="entity_content"\r\n' +
      'Content-Type: application/json\r\n\r\n' +
      `${JSON.stringify(fields)}\r\n` +
      `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="VersionData"; filename="${fileName}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  async function* stream() {
    yield head;
    yield* bytes;
    yield tail;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    stream: stream(),
    ...(size === undefined ? {} : { length: head.length + size + tail.length })
  };
}
