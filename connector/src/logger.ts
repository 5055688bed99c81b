// pino JSON logs. Secrets never reach a log line: known secret-bearing keys are redacted wherever they
// appear in the first levels of a logged object, and child loggers carry deliveryId / resourceId.
import pino from 'pino';
import type { Logger, DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'password',
  'secret',
  'secrets',
  'sharedSecret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiToken',
  'auth_token',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'assertion',
  'cookie',
  'x-scope-hmac-sha256',
  'connectionString',
  'databaseUrl'
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`
]);

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream
): Logger {
  return pino(
    {
      name: options.name ?? 'connector',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) }
    },
    destination
  );
}
