// Photo files behind signed URLs that really expire, as an object store (S3) serves them: the URL
// carries its expiry and an HMAC of path and expiry; after the expiry, or with a wrong signature, the
// answer is 403 with S3's XML error. Tests move the sandbox's file clock or shorten the lifetime of
// new URLs to make links expire mid-way; querying the event again gives a fresh URL.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { photoSpec } from './photo-bytes.ts';
import type { PhotoSettings, PhotoSpec } from './photo-bytes.ts';

export interface PhotoFilesConfig extends PhotoSettings {
  urlTtlSeconds: number;
  signingSecret: string;
}

export interface SignedUrl {
  url: string;
  /** Milliseconds since the epoch (fileURLExpiresAt). */
  expiresAt: number;
}

export type FileAnswer =
  { ok: true; spec: PhotoSpec } | { ok: false; status: 403 | 404; xml: string };

const FILE_NAME = /^photo-(\d+)\.(png|jpg)$/;

const xmlEscape = (s: string) =>
  s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function s3Error(
  code: string,
  message: string,
  extra: Record<string, string> = {}
): string {
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}<RequestId>${requestId}</RequestId></Error>`;
}

export function createPhotoFiles(initial: PhotoFilesConfig) {
  let settings: PhotoFilesConfig = { ...initial };
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;

  const signature = (name: string, expires: number) =>
    createHmac('sha256', settings.signingSecret)
      .update(`GET\n/sandbox/files/${name}\n${expires}`)
      .digest('base64url');

  return {
    spec: (databaseId: number): PhotoSpec => photoSpec(databaseId, settings),
    /** A URL valid for `urlTtlSeconds` from the sandbox's file clock. */
    sign(baseUrl: string, databaseId: number): SignedUrl {
      const { fileName } = photoSpec(databaseId, settings);
      const expires = Math.floor(now() / 1000) + settings.urlTtlSeconds;
      return {
        url: `${baseUrl}/sandbox/files/${fileName}?Expires=${expires}&Signature=${signature(fileName, expires)}`,
        expiresAt: expires * 1000
      };
    },
    /** Checks a download: the name, the signature, then the expiry (as S3 orders them). */
    check(name: string, query: Record<string, unknown>): FileAnswer {
      const match = FILE_NAME.exec(name);
      const spec = match ? photoSpec(Number(match[1]), settings) : null;
      if (!spec || spec.fileName !== name)
        return {
          ok: false,
          status: 404,
          xml: s3Error('NoSuchKey', 'The specified key does not exist.', {
            Key: name
          })
        };
      const expires = Number(query.Expires);
      const given = typeof query.Signature === 'string' ? query.Signature : '';
      if (!Number.isInteger(expires) || !given)
        return {
          ok: false,
          status: 403,
          xml: s3Error(
            'AccessDenied',
            'Query-string authentication requires the Signature and Expires parameters'
          )
        };
      const expected = Buffer.from(signature(name, expires));
      const supplied = Buffer.from(given);
      if (
        expected.length !== supplied.length ||
        !timingSafeEqual(expected, supplied)
      )
        return {
          ok: false,
          status: 403,
          xml: s3Error(
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
          )
        };
      if (now() > expires * 1000)
        return {
          ok: false,
          status: 403,
          xml: s3Error('AccessDenied', 'Request has expired', {
            Expires: new Date(expires * 1000).toISOString(),
            ServerTime: new Date(now()).toISOString()
          })
        };
      return { ok: true, spec };
    },
    settings: (): Readonly<PhotoFilesConfig> & { clockOffsetMs: number } => ({
      ...settings,
      clockOffsetMs
    }),
    /** Changes what new URLs and photos look like; `advanceClockSeconds` moves the file clock on. */
    update(
      change: Partial<PhotoFilesConfig> & { advanceClockSeconds?: number }
    ): void {
      const { advanceClockSeconds, ...rest } = change;
      settings = { ...settings, ...rest };
      clockOffsetMs += (advanceClockSeconds ?? 0) * 1000;
    },
    reset(): void {
      settings = { ...initial };
      clockOffsetMs = 0;
    }
  };
}

export type PhotoFiles = ReturnType<typeof createPhotoFiles>;
