import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './index.js';

describe('logs', () => {
  it('are JSON lines with secrets redacted', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()),
    });
    const log = pino(loggerOptions('info') as pino.LoggerOptions, sink);
    log.info(
      {
        req: { headers: { authorization: 'Bearer eyJ.secret', cookie: 'cerebro_access=abc' } },
        body: { email: 'a@b.c', password: 'hunter2hunter2', refreshToken: 'rt-123' },
      },
      'login',
    );
    const entry = JSON.parse(lines[0] ?? '{}') as {
      msg: string;
      body: { email: string; password: string };
      time: string;
    };
    expect(entry.msg).toBe('login');
    expect(entry.body.email).toBe('a@b.c');
    expect(entry.body.password).toBe('[redacted]');
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('eyJ.secret');
    expect(lines[0]).not.toContain('rt-123');
    expect(lines[0]).not.toContain('cerebro_access=abc');
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });
});
