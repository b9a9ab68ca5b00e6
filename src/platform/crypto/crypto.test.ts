import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, loadOrCreateKey, safeEqual } from './index.js';

describe('secrets at rest', () => {
  it('generates the key once into the data dir with mode 0600 and reads it back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cerebro-key-'));
    const key = await loadOrCreateKey(null, dir);
    expect(key.length).toBe(32);
    expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateKey(null, dir)).equals(key)).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips AES-256-GCM and refuses tampered ciphertext or another key', () => {
    const key = Buffer.alloc(32, 1);
    const sealed = encrypt(key, 'totp-secret');
    expect(sealed).not.toContain('totp-secret');
    expect(decrypt(key, sealed)).toBe('totp-secret');
    expect(encrypt(key, 'totp-secret')).not.toBe(sealed);
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x').toString('base64url')].join('.');
    expect(() => decrypt(key, tampered)).toThrow();
    expect(() => decrypt(Buffer.alloc(32, 2), sealed)).toThrow();
  });

  it('compares in constant time without throwing on different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
