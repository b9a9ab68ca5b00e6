import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('configuration', () => {
  it('defaults to the embedded shape', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.database.url).toBeNull();
    expect(c.demo).toBe(true);
    expect(c.allowSignup).toBe(true);
    expect(c.http.publicUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('turns demo data off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: 'true' }).demo).toBe(true);
  });

  it('stops on a bad value, naming the variable without echoing secrets', () => {
    const bad = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        ENCRYPTION_KEY: 'short-secret',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('ENCRYPTION_KEY');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('short-secret');
    }
  });

  it('reads the job lease in seconds, refusing one too short to renew', () => {
    expect(loadConfig({}).jobs.leaseMs).toBe(30_000);
    expect(loadConfig({ JOB_LEASE_SECONDS: '6' }).jobs.leaseMs).toBe(6_000);
    expect(() => loadConfig({ JOB_LEASE_SECONDS: '1' })).toThrow(/JOB_LEASE_SECONDS/);
  });

  it('requires all S3 settings or none', () => {
    expect(() => loadConfig({ S3_ENDPOINT: 'http://minio:9000' })).toThrow(/S3_/);
  });

  it('accepts a hex or base64 encryption key of 32 bytes', () => {
    expect(loadConfig({ ENCRYPTION_KEY: 'ab'.repeat(32) }).encryptionKey?.length).toBe(32);
    expect(
      loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).encryptionKey?.length,
    ).toBe(32);
  });
});
