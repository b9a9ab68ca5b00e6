import { describe, expect, it } from 'vitest';
import type { ObjectDescription } from '../../../api/types';
import { catalogsOf } from './field-catalog';
import { OBJECTS_FIXTURE } from './objects.fixture';
import { insertAt, jsonTemplateProblem, placeholderGroups, templateProblems } from './placeholders';

const catalogs = catalogsOf(OBJECTS_FIXTURE);
/** The built-in objects' keys, as `GET /objects` lists them. */
const KEYS = ['contact', 'company', 'deal', 'lead', 'activity', 'ticket'];
const withLeadBudget = OBJECTS_FIXTURE.map((o): ObjectDescription =>
  o.key === 'lead'
    ? {
        ...o,
        fields: [
          ...o.fields,
          {
            key: 'budget',
            label: 'Budget',
            kind: 'number',
            required: false,
            editable: true,
            filterable: true,
            sortable: true,
            custom: true,
          },
        ],
      }
    : o,
);

describe('the insert field menu', () => {
  it("offers the trigger record's fields as {{object.field}}, then the records it links to", () => {
    const groups = placeholderGroups('deal_stage_changed', 'deal', catalogs);
    expect(groups.map((g) => g.label)).toEqual([
      'Deal',
      'Linked contact',
      'Linked company',
      'Linked lead',
      'Workflow',
    ]);
    expect(groups[0]?.items).toContainEqual({
      label: 'Expected close date',
      token: '{{deal.expectedCloseDate}}',
    });
    expect(groups[1]?.items).toContainEqual({ label: 'Email', token: '{{contact.email}}' });
  });

  it("offers custom fields under custom. and the schedule's time when there is no record", () => {
    const lead = placeholderGroups('record_created', 'lead', catalogsOf(withLeadBudget));
    expect(lead[0]?.items.at(-1)).toEqual({ label: 'Budget', token: '{{lead.custom.budget}}' });
    expect(placeholderGroups('schedule', null, catalogs)[0]?.items).toEqual([
      { label: 'Fire time', token: '{{now}}' },
    ]);
    expect(placeholderGroups('inbound_webhook', null, catalogs)[0]?.items[0]?.token).toBe(
      '{{webhook.body}}',
    );
  });

  it("offers a custom object's own fields under its key, and it links to nothing", () => {
    const groups = placeholderGroups('record_created', 'project', catalogs);
    expect(groups.map((g) => g.label)).toEqual(['Project', 'Workflow']);
    expect(groups[0]?.items).toContainEqual({ label: 'Budget', token: '{{project.budget}}' });
    expect(groups[0]?.items).toContainEqual({ label: 'Name', token: '{{project.name}}' });
  });

  it('inserts at the caret or over the selection, and at the end without one', () => {
    expect(insertAt('Hi ,', 3, 3, '{{contact.firstName}}')).toEqual({
      text: 'Hi {{contact.firstName}},',
      caret: 24,
    });
    expect(insertAt('Hi NAME!', 3, 7, '{{lead.name}}')).toEqual({
      text: 'Hi {{lead.name}}!',
      caret: 16,
    });
    expect(insertAt('Hello', null, null, ' {{now}}')).toEqual({ text: 'Hello {{now}}', caret: 13 });
  });
});

describe('template checks', () => {
  it('names malformed placeholders and unknown roots like the server does', () => {
    expect(
      templateProblems('Hi {{contact.firstName}} from {{ workflow.name }}', null, KEYS),
    ).toEqual([]);
    expect(templateProblems('Hi {{contact first}}', null, KEYS)).toEqual([
      '"{{contact first}}" is not a placeholder; use a field path such as {{contact.firstName}}',
    ]);
    expect(templateProblems('{{person.name}}', null, KEYS)[0]).toMatch(
      /^\{\{person\.name\}\}: "person" is unknown; start with one of record, contact/,
    );
    // The trigger's object key is a root too, as the server's publish check allows.
    expect(templateProblems('{{project.name}} of {{ticket.subject}}', 'project', KEYS)).toEqual([]);
    expect(templateProblems('{{project.name}}', null, KEYS)).toHaveLength(1);
  });

  it("takes the organization's objects as roots: a custom object's key, whatever the trigger", () => {
    const withProject = [...KEYS, 'project'];
    expect(templateProblems('{{project.name}} for {{deal.name}}', 'deal', withProject)).toEqual([]);
    expect(templateProblems('{{rocket.name}}', 'deal', withProject)[0]).toMatch(
      /"rocket" is unknown; start with one of record, contact, company, deal, lead, activity, ticket, project, changes/,
    );
    // Before GET /objects answers, the roots are the server's to check at publish.
    expect(templateProblems('{{rocket.name}}', 'deal', null)).toEqual([]);
    expect(templateProblems('{{rocket name}}', 'deal', null)).toHaveLength(1);
  });

  it('wants a webhook body that is JSON once each placeholder is a value', () => {
    expect(jsonTemplateProblem('')).toBeNull();
    expect(jsonTemplateProblem('{"email": {{contact.email}}, "n": 1}')).toBeNull();
    expect(jsonTemplateProblem('{"email": "{{contact.email}}"}')).toMatch(/without quotes/);
    expect(jsonTemplateProblem('{email: 1}')).toMatch(/not valid JSON/);
    expect(jsonTemplateProblem('{ {{contact.email}}: 1 }')).toMatch(/not valid JSON/);
  });
});
