import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../test/webhook-receiver.js';
import { OutboundError, safeRequest } from './safe-fetch.js';
import { isBlockedAddress, outboundUrlProblem } from './ssrf.js';

describe('blocked addresses', () => {
  it('refuses loopback, private, link-local, CGNAT, ULA, unspecified and their IPv6 disguises', () => {
    const blocked = [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '198.18.0.1',
      '::1',
      '::',
      'fd00::1',
      'fc00::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms of private IPv4 addresses.
      '::ffff:127.0.0.1',
      '::ffff:a00:1',
      '::127.0.0.1',
      '64:ff9b::a00:1',
      '64:ff9b::192.168.0.1',
      '2002:a00:1::1',
      'not-an-ip',
    ];
    for (const a of blocked) expect(isBlockedAddress(a), a).toBe(true);
  });

  it('lets public addresses through, including public ones behind NAT64 and IPv4 mapping', () => {
    const open = [
      '93.184.215.14',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '169.255.0.1',
      '2606:4700:4700::1111',
      '64:ff9b::808:808',
      '::ffff:8.8.8.8',
      '2002:808:808::1',
    ];
    for (const a of open) expect(isBlockedAddress(a), a).toBe(false);
  });
});

describe('checking a URL before saving it', () => {
  it('names what is wrong with URLs outbound requests may not use', async () => {
    const cases: Array<[string, RegExp]> = [
      ['not a url', /valid URL/],
      ['ftp://93.184.215.14/x', /http or https/],
      ['javascript:alert(1)', /http or https/],
      ['http://user:pw@93.184.215.14/', /credentials/],
      ['http://127.0.0.1/hook', /loopback, private/],
      ['http://localhost:8080/', /loopback, private/],
      ['http://[::1]/', /loopback, private/],
      ['http://2130706433/', /loopback, private/],
      ['http://0x7f.1/', /loopback, private/],
      ['http://169.254.169.254/latest/meta-data', /loopback, private/],
      ['http://10.0.0.8/', /loopback, private/],
      ['http://[::ffff:192.168.1.1]/', /loopback, private/],
      ['http://nothing-here.invalid/', /could not be resolved/],
    ];
    for (const [url, message] of cases)
      expect(await outboundUrlProblem(url, []), url).toMatch(message);
  });

  it('accepts public addresses, and private hosts only when allow-listed by exact name', async () => {
    expect(await outboundUrlProblem('https://93.184.215.14/hook', [])).toBeNull();
    expect(await outboundUrlProblem('http://127.0.0.1:9/hook', ['127.0.0.1'])).toBeNull();
    expect(await outboundUrlProblem('http://localhost:9/hook', ['localhost'])).toBeNull();
    expect(await outboundUrlProblem('http://[::1]:9/hook', ['::1'])).toBeNull();
    // The allow-list names hosts, not the addresses they resolve to.
    expect(await outboundUrlProblem('http://localhost:9/hook', ['127.0.0.1'])).toMatch(/loopback/);
  });
});

describe('safeRequest', () => {
  let receiver: Receiver;
  const base = {
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
    timeoutMs: 2_000,
    maxResponseBytes: 2048,
  };

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('sends the body and headers to an allow-listed host and answers status and body', async () => {
    receiver.respond(() => ({ status: 201, body: 'created' }));
    const before = receiver.requests.length;
    const res = await safeRequest({ ...base, url: receiver.url, allowHosts: ['127.0.0.1'] });
    expect(res).toEqual({ status: 201, body: 'created', truncated: false });
    const got = receiver.requests[before];
    expect(got?.body).toBe('{"a":1}');
    expect(got?.headers['content-type']).toBe('application/json');
  });

  it('connects through its pinned lookup when the host is a name', async () => {
    receiver.respond(() => ({ status: 200, body: 'by name' }));
    const res = await safeRequest({
      ...base,
      url: `http://localhost:${receiver.port}/hook`,
      allowHosts: ['localhost'],
    });
    expect(res.body).toBe('by name');
  });

  it('refuses a loopback host that is not allow-listed without sending anything', async () => {
    const before = receiver.requests.length;
    const err = await safeRequest({ ...base, url: receiver.url, allowHosts: [] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as OutboundError).reason).toBe('refused');
    expect(receiver.requests.length).toBe(before);
  });

  it('does not follow redirects', async () => {
    const target = await startReceiver();
    try {
      receiver.respond(() => ({ status: 302, headers: { location: target.url } }));
      const res = await safeRequest({ ...base, url: receiver.url, allowHosts: ['127.0.0.1'] });
      expect(res.status).toBe(302);
      expect(target.requests).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('keeps only the first bytes of a large answer', async () => {
    receiver.respond(() => ({ status: 500, body: 'x'.repeat(100_000) }));
    const res = await safeRequest({ ...base, url: receiver.url, allowHosts: ['127.0.0.1'] });
    expect(res.status).toBe(500);
    expect(res.body.length).toBe(2048);
    expect(res.truncated).toBe(true);
  });

  it('gives up after the timeout when the receiver does not answer', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const err = await safeRequest({
        ...base,
        url: `http://127.0.0.1:${port}/`,
        timeoutMs: 300,
        allowHosts: ['127.0.0.1'],
      }).catch((e: unknown) => e);
      expect((err as OutboundError).reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startReceiver();
    await closed.close();
    const err = await safeRequest({ ...base, url: closed.url, allowHosts: ['127.0.0.1'] }).catch(
      (e: unknown) => e,
    );
    expect((err as OutboundError).reason).toBe('network');
    expect((err as OutboundError).message).toBe('connection refused');
  });
});
