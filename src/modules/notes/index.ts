/**
 * Notes: free text about a contact, a company or a deal. The first built-in object declared
 * through the object kernel — no table, service or route of its own: the objects module stores,
 * lists, searches, exports, imports and audits its records, and workflows and real time see them
 * like any other object's.
 */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import type { DataObjectDeclaration } from '../../platform/objects/index.js';

const NOTE: DataObjectDeclaration = {
  // Fixed for every organization (a UUIDv5 of "cerebro:object:note"); migration 0024 names it.
  id: '457dc2c5-9ca4-5ba7-9fac-9b3fde19720a',
  key: 'note',
  resource: 'notes',
  labels: { singular: 'Note', plural: 'Notes' },
  icon: 'sticky-note',
  fields: [
    { key: 'body', label: 'Note', type: 'long_text' },
    { key: 'contact', label: 'Contact', type: 'relation', options: { objectType: 'contact' } },
    { key: 'company', label: 'Company', type: 'relation', options: { objectType: 'company' } },
    { key: 'deal', label: 'Deal', type: 'relation', options: { objectType: 'deal' } },
    { key: 'pinned', label: 'Pinned', type: 'boolean' },
  ],
};

export const notesModule: ModuleDefinition = {
  name: 'notes',
  dataObjects: [NOTE],
};
