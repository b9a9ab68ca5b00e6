import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.js';
import { isJsonTemplate, placeholdersOf, renderTemplate, renderValue } from './template.js';

const data = {
  contact: { firstName: 'Ada <3', tags: ['vip', 'eu'], customFields: { size: 12 } },
  deal: { amount: 125000 },
};

describe('templates', () => {
  it('fills placeholders, escaping for HTML and encoding for JSON', () => {
    expect(renderTemplate('Hi {{ contact.firstName }}, {{deal.amount}}', data)).toBe(
      'Hi Ada <3, 125000',
    );
    expect(renderTemplate('<p>{{contact.firstName}}</p>', data, 'html')).toBe('<p>Ada &lt;3</p>');
    expect(
      JSON.parse(
        renderTemplate(
          '{"n": {{contact.firstName}}, "tags": {{contact.tags}}, "x": {{contact.missing}}}',
          data,
          'json',
        ),
      ),
    ).toEqual({ n: 'Ada <3', tags: ['vip', 'eu'], x: null });
    expect(
      renderTemplate('{{contact.tags}} / {{contact.custom.size}} / [{{nothing.here}}]', data),
    ).toBe('vip, eu / 12 / []');
  });

  it("keeps a lone placeholder's type and reports malformed ones", () => {
    expect(renderValue('{{deal.amount}}', data)).toBe(125000);
    expect(renderValue('{{deal.amount}} USD', data)).toBe('125000 USD');
    expect(placeholdersOf('{{a.b}} {{ bad name }} {{c}}')).toEqual({
      paths: ['a.b', 'c'],
      malformed: ['bad name'],
    });
  });

  it('tells a JSON template that renders to JSON for any value from one that cannot', () => {
    expect(
      isJsonTemplate('{"id": {{lead.id}}, "n": [{{deal.amount}}, 1], "s": "plain {text}"}'),
    ).toBe(true);
    expect(isJsonTemplate('{{record}}')).toBe(true);
    expect(isJsonTemplate('{"lead": {{lead.id}}, }')).toBe(false);
    expect(isJsonTemplate('{"lead": "{{lead.id}}"}')).toBe(false);
    expect(isJsonTemplate('{"note": "id {{lead.id}}"}')).toBe(false);
    expect(isJsonTemplate('{ {{lead.id}}: 1 }')).toBe(false);
    expect(isJsonTemplate('  ')).toBe(false);
  });
});

describe('conditions', () => {
  const record = {
    status: 'Customer',
    amount: 500,
    tags: ['vip'],
    closeDate: '2026-12-10',
    customFields: { size: 12 },
    email: null,
  };
  it('evaluates AND/OR trees with nested groups, lists, numbers, dates and custom fields', () => {
    expect(
      evaluateConditions(
        {
          match: 'all',
          rules: [
            { field: 'status', op: 'eq', value: 'customer' },
            { field: 'amount', op: 'gte', value: 500 },
          ],
        },
        { record },
      ),
    ).toBe(true);
    expect(
      evaluateConditions(
        {
          match: 'all',
          rules: [
            { field: 'status', op: 'eq', value: 'customer' },
            { field: 'amount', op: 'gt', value: 500 },
          ],
        },
        { record },
      ),
    ).toBe(false);
    expect(
      evaluateConditions(
        {
          match: 'any',
          rules: [
            { field: 'amount', op: 'lt', value: 10 },
            {
              match: 'all',
              rules: [
                { field: 'tags', op: 'contains', value: 'VIP' },
                { field: 'custom.size', op: 'in', value: [11, 12] },
              ],
            },
          ],
        },
        { record },
      ),
    ).toBe(true);
    expect(
      evaluateConditions(
        {
          match: 'all',
          rules: [
            { field: 'closeDate', op: 'lt', value: '2026-12-11' },
            { field: 'email', op: 'isEmpty' },
          ],
        },
        { record },
      ),
    ).toBe(true);
    expect(
      evaluateConditions(
        { match: 'all', rules: [{ field: 'status', op: 'changed' }] },
        { record, changed: ['amount'] },
      ),
    ).toBe(false);
    expect(
      evaluateConditions(
        { match: 'all', rules: [{ field: 'custom', op: 'changed' }] },
        { record, changed: ['custom.size'] },
      ),
    ).toBe(true);
    expect(evaluateConditions(null, { record })).toBe(true);
  });
});
