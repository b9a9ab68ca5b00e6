import { describe, expect, it } from 'vitest';
import { field } from './test-fields';
import { ApiError } from '../../api/client';
import type { ObjectRecord } from '../../api/records';
import type { ObjectDescription } from '../../api/types';
import {
  bulkMessage,
  bulkProblemReason,
  ownerField,
  parseBulkValue,
  patchFor,
  reasonOf,
  runEach,
  settableFields,
  summarizeBulk,
  tagsField,
} from './bulk-edit';
import { serverBulkBody } from './run-bulk-edit';

const status = field('status', 'enum', { values: ['NEW', 'QUALIFIED'] });
const tags = field('tags', 'tags');
const tier = field('tier', 'enum', { custom: true, values: ['Gold'] });
const lead = {
  key: 'lead',
  resource: 'leads',
  titleField: 'name',
  fields: [
    field('name', 'text'),
    status,
    field('ownerId', 'relation', { relation: 'user' }),
    tags,
    field('score', 'number', { editable: false }),
    tier,
    field('notes', 'long_text'),
  ],
} as unknown as ObjectDescription;

const record = (extra: Record<string, unknown> = {}): ObjectRecord => ({
  id: 'r1',
  version: 3,
  createdAt: '2026-01-01T00:00:00Z',
  ...extra,
});

describe('bulk edit fields', () => {
  it('offers editable settable fields, never the title, read-only or long text', () => {
    expect(settableFields(lead).map((f) => f.key)).toEqual(['status', 'tier']);
    expect(ownerField(lead)?.key).toBe('ownerId');
    expect(tagsField(lead)?.key).toBe('tags');
    const bare = { ...lead, fields: [field('name', 'text')] };
    expect(ownerField(bare)).toBeUndefined();
    expect(tagsField(bare)).toBeUndefined();
  });
});

describe('patchFor', () => {
  it('sets a field, a custom one under customFields', () => {
    expect(patchFor({ kind: 'set', field: status, value: 'NEW' }, record())).toEqual({
      status: 'NEW',
    });
    expect(patchFor({ kind: 'set', field: tier, value: 'Gold' }, record())).toEqual({
      customFields: { tier: 'Gold' },
    });
  });
  it('adds a tag to the existing ones, and skips records that already have it', () => {
    expect(patchFor({ kind: 'tag', field: tags, tag: 'vip' }, record({ tags: ['a'] }))).toEqual({
      tags: ['a', 'vip'],
    });
    expect(patchFor({ kind: 'tag', field: tags, tag: 'a' }, record({ tags: ['a'] }))).toBeNull();
    expect(patchFor({ kind: 'assign', ownerId: 'u1' }, record({ ownerId: 'u1' }))).toBeNull();
    expect(patchFor({ kind: 'assign', ownerId: 'u2' }, record({ ownerId: 'u1' }))).toEqual({
      ownerId: 'u2',
    });
  });
});

describe('bulk summary', () => {
  it('counts changes and failures and keeps the first reason', () => {
    const s = summarizeBulk([
      { ok: true },
      { ok: false, reason: 'no permission to change it' },
      { ok: true },
      { ok: false, reason: 'it no longer exists' },
    ]);
    expect(s).toEqual({ changed: 2, failed: 2, firstReason: 'no permission to change it' });
    expect(bulkMessage(s, { one: 'lead', many: 'leads' })).toBe(
      '2 leads changed, 2 failed — no permission to change it',
    );
    expect(bulkMessage(summarizeBulk([{ ok: true }]), { one: 'lead', many: 'leads' })).toBe(
      '1 lead changed',
    );
  });

  it('words each refusal by its status, naming the field of a 422', () => {
    expect(reasonOf(new ApiError(412, 'VERSION_CONFLICT', 'stale'))).toMatch(/changed by someone/);
    expect(reasonOf(new ApiError(409, 'CONFLICT', 'stale'))).toMatch(/changed by someone/);
    expect(reasonOf(new ApiError(403, 'FORBIDDEN', 'no'))).toBe('no permission to change it');
    expect(
      reasonOf(
        new ApiError(422, 'VALIDATION_FAILED', 'bad', [{ path: 'status', message: 'Invalid' }]),
      ),
    ).toBe('status: Invalid');
    expect(reasonOf(new Error('offline'))).toBe('offline');
  });

  it('runs every item even when some fail, reporting progress', async () => {
    const seen: number[] = [];
    const outcomes = await runEach(
      [1, 2, 3, 4, 5],
      async (n) => {
        if (n % 2 === 0) throw new ApiError(403, 'FORBIDDEN', 'no');
        await Promise.resolve();
      },
      (done) => seen.push(done),
      2,
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('parseBulkValue', () => {
  it('converts by kind and refuses what does not fit', () => {
    expect(parseBulkValue(field('n', 'number'), '12.5')).toEqual({ ok: true, value: 12.5 });
    expect(parseBulkValue(field('n', 'number'), 'abc')).toEqual({
      ok: false,
      reason: 'not a number',
    });
    expect(parseBulkValue(field('b', 'boolean'), 'false')).toEqual({ ok: true, value: false });
    expect(parseBulkValue(status, 'LOST').ok).toBe(false);
    expect(parseBulkValue(status, '')).toEqual({ ok: true, value: null });
  });
});

describe('serverBulkBody', () => {
  const rec = { id: 'a', version: 4 };
  const industry = field('industry', 'text');
  const companies: Pick<ObjectDescription, 'bulk'> = {
    bulk: { fields: ['industry', 'size'], ownerField: 'ownerId', tags: false },
  };
  it("uses the server endpoint for what the object's bulk description offers, per record otherwise", () => {
    expect(serverBulkBody(companies, { kind: 'assign', ownerId: 'u' }, [rec])).toEqual({
      action: 'assign',
      ids: ['a'],
      versions: { a: 4 },
      ownerId: 'u',
    });
    expect(
      serverBulkBody(companies, { kind: 'set', field: industry, value: 'Tech' }, [rec]),
    ).toEqual({
      action: 'update',
      ids: ['a'],
      versions: { a: 4 },
      field: 'industry',
      value: 'Tech',
    });
    expect(
      serverBulkBody(companies, { kind: 'set', field: field('domain', 'text'), value: 'x' }, [rec]),
    ).toBeNull();
    expect(
      serverBulkBody(companies, { kind: 'tag', field: field('tags', 'tags'), tag: 't' }, [rec]),
    ).toBeNull();
    // No bulk in the description: every edit goes record by record.
    expect(serverBulkBody({ bulk: null }, { kind: 'assign', ownerId: 'u' }, [rec])).toBeNull();
  });

  it('tags on the server only where the object has its own tags field, never a custom one', () => {
    const leads: Pick<ObjectDescription, 'bulk'> = {
      bulk: { fields: ['status'], ownerField: 'ownerId', tags: true },
    };
    expect(serverBulkBody(leads, { kind: 'tag', field: tags, tag: 'hot' }, [rec])).toEqual({
      action: 'add_tag',
      ids: ['a'],
      versions: { a: 4 },
      tag: 'hot',
    });
    const customTags = field('labels', 'tags', { custom: true });
    expect(serverBulkBody(leads, { kind: 'tag', field: customTags, tag: 'x' }, [rec])).toBeNull();
    expect(serverBulkBody(leads, { kind: 'set', field: tier, value: 'Gold' }, [rec])).toBeNull();
    expect(serverBulkBody(leads, { kind: 'set', field: status, value: 7 }, [rec])).toBeNull();
  });
});

describe('bulkProblemReason', () => {
  it("words a skipped record like a refused single change, by its code, else the server's message", () => {
    expect(bulkProblemReason({ message: 'x', code: 'VERSION_MISMATCH' })).toMatch(/someone else/);
    expect(bulkProblemReason({ message: 'x', code: 'FORBIDDEN' })).toMatch(/no permission/);
    expect(bulkProblemReason({ message: 'Lead not found', code: 'NOT_FOUND' })).toBe(
      'it no longer exists',
    );
    expect(bulkProblemReason({ message: 'status: must be one of…' })).toBe(
      'status: must be one of…',
    );
  });
});

describe('ownerField', () => {
  it("is the field the object's bulk description names, else ownerId", () => {
    const assignee = field('assigneeId', 'relation', { relation: 'user' });
    const activity = {
      ...lead,
      fields: [field('ownerId', 'relation', { relation: 'user' }), assignee],
      bulk: { fields: [], ownerField: 'assigneeId', tags: false },
    } as unknown as ObjectDescription;
    expect(ownerField(activity)?.key).toBe('assigneeId');
    expect(ownerField(lead)?.key).toBe('ownerId');
  });
});
