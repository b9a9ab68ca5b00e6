import { describe, expect, it } from 'vitest';
import { mailboxQuery } from './mailbox-query';

describe('mailboxQuery', () => {
  it('asks the first page with its total, and later pages by cursor', () => {
    expect(mailboxQuery({ to: '', subject: '' }, '')).toEqual({ limit: 50, count: 'true' });
    expect(mailboxQuery({ to: '', subject: '' }, 'abc')).toEqual({ limit: 50, cursor: 'abc' });
  });

  it('sends only the filters that are set, trimmed', () => {
    const query = mailboxQuery({ to: ' ada+crm@example.com ', subject: '100% done' }, '');
    expect(query['filter[to]']).toBe('ada+crm@example.com');
    expect(query.q).toBe('100% done');
    expect(mailboxQuery({ to: '  ', subject: '' }, '')).not.toHaveProperty('filter[to]');
  });
});
