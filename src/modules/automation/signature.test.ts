import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.js';

const secret = 'whsec_test-secret';
const body = '{"id":"e1","type":"contact.created"}';

describe('webhook signatures', () => {
  it('follows API.md: t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> keyed with the secret', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(
      timingSafeEqual(
        Buffer.from(header.split('v1=')[1] ?? '', 'hex'),
        Buffer.from(expected, 'hex'),
      ),
    ).toBe(true);
  });

  it('verifies the genuine signature and nothing else', () => {
    const now = 1_700_000_000;
    const header = signatureHeader(secret, now, body);
    expect(verifySignature(secret, header, body, now)).toBe(true);
    expect(verifySignature(secret, header, body.replace('e1', 'e2'), now)).toBe(false);
    expect(verifySignature('whsec_other', header, body, now)).toBe(false);
    // A replayed request outside the tolerance is refused even with a valid HMAC.
    expect(verifySignature(secret, header, body, now + 301)).toBe(false);
    expect(verifySignature(secret, header, body, now + 299)).toBe(true);
    for (const bad of [
      '',
      'v1=abc',
      `t=${now}`,
      `t=soon,v1=${header.split('v1=')[1] ?? ''}`,
      `t=${now},v1=zz`,
    ]) {
      expect(verifySignature(secret, bad, body, now), bad).toBe(false);
    }
  });
});
