import { describe, expect, it } from 'vitest';
import { mailboxPath } from './mailbox-query';

describe('mailboxPath', () => {
  it('asks the first page with its total, and later pages by cursor', () => {
    expect(mailboxPath({ to: '', subject: '' }, '')).toBe('/mailbox?limit=50&count=true');
    expect(mailboxPath({ to: '', subject: '' }, 'abc')).toBe('/mailbox?limit=50&cursor=abc');
  });

  it('sends only the filters that are set, trimmed and encoded', () => {
    const path = mailboxPath({ to: ' ada+crm@example.com ', subject: '100% done' }, '');
    const params = new URLSearchParams(path.split('?')[1]);
    expect(params.get('filter[to]')).toBe('ada+crm@example.com');
    expect(params.get('q')).toBe('100% done');
    expect(mailboxPath({ to: '  ', subject: '' }, '')).not.toContain('filter');
  });
});
