import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../../api/types';
import { fieldCatalog, kindOf, labelOf } from './field-catalog';

const custom = (over: Partial<CustomField>): CustomField => ({
  id: 'x',
  objectType: 'deal',
  key: 'k',
  label: 'K',
  type: 'text',
  options: null,
  required: false,
  position: 0,
  archived: false,
  ...over,
});

describe('the field catalog', () => {
  it("lists an object's standard fields, then its own custom fields in order as custom.key", () => {
    const catalog = fieldCatalog('deal', [
      custom({
        key: 'tier',
        label: 'Tier',
        type: 'select',
        options: { choices: ['gold', 'silver'] },
        position: 2,
      }),
      custom({ key: 'seats', label: 'Seats', type: 'number', position: 1 }),
      custom({ objectType: 'contact', key: 'nickname', label: 'Nickname' }),
    ]);
    expect(catalog[0]).toEqual({ key: 'name', label: 'Name', kind: 'text', writable: true });
    expect(catalog.slice(-2)).toEqual([
      { key: 'custom.seats', label: 'Seats', kind: 'number', writable: true },
      {
        key: 'custom.tier',
        label: 'Tier',
        kind: 'enum',
        writable: true,
        choices: ['gold', 'silver'],
      },
    ]);
    expect(catalog.some((f) => f.key === 'custom.nickname')).toBe(false);
  });

  it('marks read-only fields and answers text for a field it does not know', () => {
    const catalog = fieldCatalog('contact', []);
    expect(catalog.find((f) => f.key === 'leadScore')).toMatchObject({
      kind: 'number',
      writable: false,
    });
    expect(kindOf(catalog, 'status')).toBe('enum');
    expect(kindOf(catalog, 'custom.gone')).toBe('text');
    expect(labelOf(catalog, 'lastContactedAt')).toBe('Last contacted at');
    expect(labelOf(catalog, 'custom.gone')).toBe('custom.gone');
  });
});
