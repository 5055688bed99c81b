// File bytes of the sandbox org live on disk, never in memory: one file per ContentVersion under
// the sandbox's files directory (a temporary one unless `filesDir` is given). Uploads are written
// while they are hashed, so a 2 GB multipart body costs a chunk of memory, not 2 GB.
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  unlinkSync,
  writeFileSync
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadStream } from 'node:fs';

export interface StoredBlob {
  readonly path: string;
  readonly size: number;
  /** MD5 of the bytes, lower-case hex, as ContentVersion.Checksum holds it. */
  readonly md5: string;
}

/** Thrown while streaming when the bytes go past the limit; the partial file is already removed. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file larger than ${limit} bytes`);
  }
}

export function createBlobStore(dir?: string) {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'worklink-sf-files-'));
  const owned = dir === undefined;
  mkdirSync(root, { recursive: true });
  const newPath = () => join(root, randomBytes(12).toString('hex'));

  return {
    root,
    /** Writes bytes already in memory (a JSON base64 insert, at most 37.5 MB). */
    saveBuffer(bytes: Buffer): StoredBlob {
      const path = newPath();
      writeFileSync(path, bytes);
      const md5 = createHash('md5').update(bytes).digest('hex');
      return { path, size: bytes.length, md5 };
    },
    /** Streams chunks to disk with backpressure, failing past `limit` bytes. */
    async saveStream(
      chunks: AsyncIterable<Buffer>,
      limit: number
    ): Promise<StoredBlob> {
      const path = newPath();
      const out = createWriteStream(path);
      const hash = createHash('md5');
      let size = 0;
      try {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > limit) throw new BlobTooLargeError(limit);
          hash.update(chunk);
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
      } catch (error) {
        out.destroy();
        rmSync(path, { force: true });
        throw error;
      }
      return { path, size, md5: hash.digest('hex') };
    },
    read(blob: StoredBlob): ReadStream {
      return createReadStream(blob.path);
    },
    remove(blob: StoredBlob): void {
      try {
        unlinkSync(blob.path);
      } catch {
        // already gone: a purge that raced a reset
      }
    },
    /** Deletes the directory when the sandbox made it (a temporary one). */
    close(): void {
      if (owned) rmSync(root, { recursive: true, force: true });
    }
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
