import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { discardBody } from './drain.js';

/** A request whose body the test feeds by hand. */
const request = () => new IncomingMessage(new Socket());

describe('discardBody', () => {
  it('reads the rest of the body and says it was all read', async () => {
    const req = request();
    const done = discardBody(req, 1000);
    req.push(Buffer.alloc(400));
    req.push(Buffer.alloc(400));
    req.push(null);
    expect(await done).toBe(true);
  });

  it('stops past the cap and says the body was not all read', async () => {
    const req = request();
    const done = discardBody(req, 1000);
    req.push(Buffer.alloc(800));
    req.push(Buffer.alloc(800));
    expect(await done).toBe(false);
  });

  it('stops waiting for a client that goes quiet', async () => {
    const req = request();
    const done = discardBody(req, 1000, 20);
    req.push(Buffer.alloc(10));
    expect(await done).toBe(false);
  });
});
