import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  X509Certificate
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSelfSignedCertificate } from '../../scripts/certificate/self-signed.ts';
import { REPO } from './helpers.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(args: string[]) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'scripts/setup-certificate.ts'), ...args],
    { encoding: 'utf8', cwd: REPO }
  );
}

describe('setup:certificate', () => {
  it('creates a self-signed certificate that verifies and matches its private key', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    const created = createSelfSignedCertificate({
      commonName: 'WorkLink Connector',
      days: 730,
      now
    });
    const certificate = new X509Certificate(created.certificatePem);
    assert.equal(certificate.subject, 'CN=WorkLink Connector');
    assert.equal(certificate.issuer, 'CN=WorkLink Connector');
    assert.equal(
      new Date(certificate.validFrom).toISOString(),
      now.toISOString()
    );
    assert.equal(
      new Date(certificate.validTo).toISOString(),
      '2028-12-01T10:00:00.000Z'
    );
    assert.ok(certificate.verify(certificate.publicKey));
    const privateKey = createPrivateKey(created.privateKeyPem);
    assert.ok(certificate.checkPrivateKey(privateKey));
    // What Salesforce does with a JWT: verify an RS256 signature with the uploaded certificate.
    const signingInput = Buffer.from('header.payload');
    const signature = sign('sha256', signingInput, privateKey);
    assert.ok(verify('sha256', signingInput, certificate.publicKey, signature));
    assert.equal(created.fingerprint256, certificate.fingerprint256);
  });

  it('uses GeneralizedTime for validity from 2050 on', () => {
    const created = createSelfSignedCertificate({
      commonName: 'WorkLink Connector',
      days: 3650,
      now: new Date('2045-06-01T00:00:00Z')
    });
    const certificate = new X509Certificate(created.certificatePem);
    assert.equal(
      new Date(certificate.validTo).toISOString(),
      '2055-05-30T00:00:00.000Z'
    );
  });

  it('refuses a validity that is not a whole number of days up to ten years', () => {
    assert.throws(
      () => createSelfSignedCertificate({ commonName: 'x', days: 0 }),
      /days must be a whole number from 1 to 3650, not 0/
    );
    assert.throws(
      () => createSelfSignedCertificate({ commonName: ' ', days: 30 }),
      /common name must not be empty/
    );
  });

  it('writes the key readable by its owner only, prints the steps, and never overwrites', () => {
    const out = mkdtempSync(join(tmpdir(), 'worklink-cert-'));
    dirs.push(out);
    const first = run(['--out', out, '--days', '30']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(
      statSync(join(out, 'worklink-connector.key')).mode & 0o777,
      0o600
    );
    const pem = readFileSync(join(out, 'worklink-connector.crt'), 'utf8');
    assert.ok(new X509Certificate(pem).verify(createPublicKey(pem)));
    assert.match(
      first.stdout,
      /External Client App Manager → WorkLink Connector/
    );
    assert.match(
      first.stdout,
      new RegExp(`SF_PRIVATE_KEY_FILE=${out}/worklink-connector.key`)
    );
    const second = run(['--out', out]);
    assert.equal(second.status, 2);
    assert.match(
      second.stderr,
      /already holds a key or certificate; pass --force/
    );
    assert.equal(
      readFileSync(join(out, 'worklink-connector.crt'), 'utf8'),
      pem
    );
  });

  it('names a bad option', () => {
    const result = run([
      '--days',
      'ten',
      '--out',
      join(tmpdir(), 'never-made')
    ]);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /days must be a whole number from 1 to 3650, not NaN/
    );
  });
});
