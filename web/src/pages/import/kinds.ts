/** The words and places that differ between what is imported. */
export interface ImportKindWords {
  plural: string;
  path: string;
  match: string;
  update: string;
  create: string;
}

const KINDS: Record<string, ImportKindWords> = {
  contact: {
    plural: 'contacts',
    path: '/contacts',
    match: 'When a contact with the same email exists',
    update: 'Update the existing contact',
    create: 'Create another contact anyway',
  },
  company: {
    plural: 'companies',
    path: '/companies',
    match: 'When a company with the same domain (or, without a domain, the same name) exists',
    update: 'Update the existing company',
    create: 'Create another company (rows whose domain is taken are rejected)',
  },
  lead: {
    plural: 'leads',
    path: '/leads',
    match: 'When an open lead with the same email exists',
    update: 'Update the existing lead',
    create: 'Create another lead anyway',
  },
};

/** The words of an object type; an import of another object (a custom one) speaks of records. */
export const importWordsOf = (objectType: string): ImportKindWords =>
  KINDS[objectType] ?? {
    plural: 'records',
    path: '',
    match: 'When a matching record exists',
    update: 'Update the existing record',
    create: 'Create another record anyway',
  };

/** The wizard's steps, in order. */
export const IMPORT_STEPS = ['Upload', 'Map columns', 'Check', 'Import'] as const;

/** Whether an import has stopped changing (nothing left to poll for). */
export const isSettled = (status: string): boolean =>
  status === 'done' || status === 'failed' || status === 'rolled_back';
