// The bench's photo storage: signed URLs that expire (403 after, like S3), each photo's bytes a
// deterministic stream written 64 KB at a time (a PNG signature, then filler), so a 5 MB photo never
// exists whole on either side. Sizes are spread evenly between the bench's minimum and maximum.
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const BLOCK = 64 * 1024;
const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

export interface PhotoStore {
  url: string;
  close(): Promise<void>;
}

/** The size of photo `index` (0-based) in [min, max], spread by a hash, not by position. */
export function photoSize(index: number, min: number, max: number): number {
  const h = createHash('sha256').update(`bench-photo-${index}`).digest();
  return min + (h.readUInt32BE(0) % (max - min + 1));
}

export const signPhoto = (key: string, name: string, expires: number) =>
  createHmac('sha256', key).update(`${name}:${expires}`).digest('hex');

function streamPhoto(
  size: number,
  write: (chunk: Buffer) => boolean,
  drain: (next: () => void) => void,
  end: () => void
) {
  const filler = Buffer.alloc(BLOCK, 0x5a);
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const chunk =
        sent === 0
          ? Buffer.concat([PNG_SIGNATURE, filler]).subarray(
              0,
              Math.min(BLOCK, size)
            )
          : filler.subarray(0, Math.min(BLOCK, size - sent));
      sent += chunk.length;
      if (!write(chunk)) return drain(pump);
    }
    end();
  };
  pump();
}

/** GET /photos/<name>?size=<bytes>&expires=<ms>&signature=<hmac of name:expires>. */
export async function startPhotoStore(
  key: string,
  port = 0
): Promise<PhotoStore> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://store');
    const name = decodeURIComponent(url.pathname.replace(/^\/photos\//, ''));
    const expires = Number(url.searchParams.get('expires'));
    const size = Number(url.searchParams.get('size'));
    if (
      url.searchParams.get('signature') !==
        signPhoto(key, `${name}:${size}`, expires) ||
      !(expires > Date.now())
    ) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': size });
    streamPhoto(
      size,
      (c) => res.write(c),
      (next) => res.once('drain', next),
      () => res.end()
    );
  });
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve)
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
