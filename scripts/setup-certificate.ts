// npm run setup:certificate [-- --out DIR --days N --common-name NAME --force]
// Creates the connector's JWT key pair and self-signed certificate locally and prints what to paste
// where. Nothing leaves this machine; the private key is written readable by its owner only.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSelfSignedCertificate } from './certificate/self-signed.ts';

const KEY_FILE = 'worklink-connector.key';
const CERTIFICATE_FILE = 'worklink-connector.crt';

function fail(message: string): never {
  console.error(`setup:certificate: ${message}`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    options: {
      out: { type: 'string', default: '.certificates' },
      days: { type: 'string', default: '730' },
      'common-name': { type: 'string', default: 'WorkLink Connector' },
      force: { type: 'boolean', default: false }
    }
  }).values;
} catch (error) {
  fail((error as Error).message);
}

const days = Number(options.days);
const outDir = resolve(options.out);
const keyPath = join(outDir, KEY_FILE);
const certificatePath = join(outDir, CERTIFICATE_FILE);
if (!options.force && [keyPath, certificatePath].some((p) => existsSync(p)))
  fail(
    `${outDir} already holds a key or certificate; pass --force to replace them (the connector and the External Client App must then both be updated)`
  );

let created;
try {
  created = createSelfSignedCertificate({
    commonName: options['common-name'],
    days
  });
} catch (error) {
  fail((error as Error).message);
}
mkdirSync(outDir, { recursive: true, mode: 0o700 });
writeFileSync(keyPath, created.privateKeyPem, { mode: 0o600 });
writeFileSync(certificatePath, created.certificatePem, { mode: 0o644 });

console.log(`Private key:  ${keyPath} (keep it secret; never commit it)
Certificate:  ${certificatePath}
Valid until:  ${created.validTo.toISOString()}
SHA-256:      ${created.fingerprint256}

1. Salesforce Setup → External Client App Manager → WorkLink Connector → Edit Settings → OAuth Settings:
   check "Enable JWT Bearer Flow" and upload ${certificatePath}. Save.
2. Same page → Policies: Permitted Users "Admin approved users are pre-authorized", and add the
   WorkLink_Integration permission set under "Select Permission Sets".
3. Same page → OAuth Settings → Consumer Key and Secret: copy the consumer key.
4. Connector environment:
     SF_AUTH_FLOW=jwt
     SF_CLIENT_ID=<the consumer key>
     SF_USERNAME=<the integration user's username>
     SF_PRIVATE_KEY_FILE=${keyPath}
     SF_LOGIN_URL=https://login.salesforce.com   (https://test.salesforce.com for a sandbox)
5. npm run connector -- doctor`);
