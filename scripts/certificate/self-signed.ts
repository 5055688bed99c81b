// A key pair and a self-signed certificate for the JWT bearer flow, with node:crypto only (no
// openssl needed): Salesforce verifies the JWT's signature with the certificate uploaded to the
// External Client App; the connector signs with the private key.
import {
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate
} from 'node:crypto';
import {
  bitString,
  explicit,
  integer,
  nullValue,
  objectIdentifier,
  sequence,
  set,
  time,
  utf8String
} from './der.ts';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const DAY_MS = 86_400_000;
export const MAX_DAYS = 3650;

export interface CertificateOptions {
  readonly commonName: string;
  /** Validity in days from `now`. */
  readonly days: number;
  readonly now?: Date;
  readonly keyBits?: number;
}

export interface KeyAndCertificate {
  /** PKCS#8 PEM: SF_PRIVATE_KEY_FILE of the connector. */
  readonly privateKeyPem: string;
  /** X.509 PEM: uploaded to the External Client App. */
  readonly certificatePem: string;
  readonly fingerprint256: string;
  readonly validTo: Date;
}

export function createSelfSignedCertificate({
  commonName,
  days,
  now = new Date(),
  keyBits = 2048
}: CertificateOptions): KeyAndCertificate {
  if (!commonName.trim()) throw new Error('the common name must not be empty');
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
    throw new Error(
      `days must be a whole number from 1 to ${MAX_DAYS}, not ${days}`
    );
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: keyBits
  });
  const algorithm = sequence(objectIdentifier(SHA256_WITH_RSA), nullValue());
  const name = sequence(
    set(sequence(objectIdentifier(COMMON_NAME), utf8String(commonName)))
  );
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const validTo = new Date(notBefore.getTime() + days * DAY_MS);
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 1) & 0x7f) | 0x01; // positive and never zero
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(validTo)),
    name,
    publicKey.export({ type: 'spki', format: 'der' })
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const base64 =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
  // Parse what we built: a malformed certificate fails here, not at upload time.
  const parsed = new X509Certificate(certificatePem);
  if (!parsed.verify(publicKey))
    throw new Error('the certificate does not verify with its own key');
  return {
    privateKeyPem: privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    certificatePem,
    fingerprint256: parsed.fingerprint256,
    validTo
  };
}
