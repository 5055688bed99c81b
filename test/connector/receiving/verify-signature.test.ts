import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  signBody,
  verifyPathToken,
  verifySignature
} from '../../../connector/src/webhooks/verify-signature.ts';

const body = Buffer.from(
  '{"data":{"id":"U2NlbmFyaW9TZXNzaW9uLzE","url":"https://cms.scopear.com/api/v3/graphql/object/U2NlbmFyaW9TZXNzaW9uLzE"}}'
);
const secret = 'shared-secret-from-subscription';

describe('verifySignature', () => {
  it('accepts base64 HMAC-SHA256 of the raw body (the documented 44-character form)', () => {
    const header = createHmac('sha256', secret).update(body).digest('base64');
    assert.equal(header.length, 44);
    assert.equal(verifySignature(body, header, [secret], 'base64'), true);
    assert.equal(
      verifySignature(body, ` ${header} `, [secret], 'base64'),
      true,
      'surrounding whitespace is tolerated'
    );
  });
  it('accepts hex when configured, in either case', () => {
    const hex = signBody(body, secret, 'hex');
    assert.equal(verifySignature(body, hex, [secret], 'hex'), true);
    assert.equal(
      verifySignature(body, hex.toUpperCase(), [secret], 'hex'),
      true
    );
    assert.equal(verifySignature(body, hex, [secret], 'base64'), false);
  });
  it('accepts either of two secrets during a rotation', () => {
    assert.equal(
      verifySignature(body, signBody(body, 'old-secret-1234'), [
        'new-secret-5678',
        'old-secret-1234'
      ]),
      true
    );
    assert.equal(
      verifySignature(body, signBody(body, 'new-secret-5678'), [
        'new-secret-5678',
        'old-secret-1234'
      ]),
      true
    );
  });
  it('rejects a wrong secret, a missing header, a length mismatch, a changed body and no secrets', () => {
    const good = signBody(body, secret);
    assert.equal(
      verifySignature(body, signBody(body, 'other-secret'), [secret]),
      false
    );
    assert.equal(verifySignature(body, undefined, [secret]), false);
    assert.equal(verifySignature(body, '', [secret]), false);
    assert.equal(verifySignature(body, good.slice(0, -1), [secret]), false);
    assert.equal(verifySignature(body, `${good}A`, [secret]), false);
    assert.equal(
      verifySignature(Buffer.concat([body, Buffer.from(' ')]), good, [secret]),
      false
    );
    assert.equal(verifySignature(body, good, []), false);
  });
  it('verifies the exact bytes, not a re-serialisation', () => {
    const spaced = Buffer.from('{ "data": { "id": "x" } }');
    assert.equal(
      verifySignature(
        spaced,
        signBody(JSON.stringify(JSON.parse(spaced.toString())), secret),
        [secret]
      ),
      false
    );
    assert.equal(
      verifySignature(spaced, signBody(spaced, secret), [secret]),
      true
    );
  });
});

describe('verifyPathToken', () => {
  it('compares the secret path segment', () => {
    assert.equal(
      verifyPathToken('abc-def-ghi-jkl-mno', 'abc-def-ghi-jkl-mno'),
      true
    );
    assert.equal(
      verifyPathToken('abc-def-ghi-jkl-mnX', 'abc-def-ghi-jkl-mno'),
      false
    );
    assert.equal(verifyPathToken('short', 'abc-def-ghi-jkl-mno'), false);
    assert.equal(verifyPathToken('anything', undefined), false);
    assert.equal(verifyPathToken(undefined, 'abc'), false);
  });
});
