import { useParams } from 'react-router';
import { ContactRecord } from './contact-record';
import { ContactTitleCell } from './contact-title-cell';
import type { ListExtension } from './objects/list-extension';
import { ObjectListRoute } from './objects/object-list-route';

/**
 * What contacts add to the generic record table: the job title edited in place, and the columns
 * a salesperson scans first — who they are, where they work, who owns them and when they were
 * last contacted. Import and Duplicates come with the object's capabilities.
 */
const CONTACT_LIST: ListExtension = {
  cells: { title: (c) => <ContactTitleCell key={c.id} contact={c} /> },
  defaultColumns: [
    'name',
    'email',
    'companyId',
    'title',
    'status',
    'tags',
    'ownerId',
    'lastContactedAt',
  ],
  // Narrower than the generic widths, so these eight fit a laptop screen without scrolling.
  columnSizes: {
    name: 170,
    email: 190,
    title: 140,
    companyId: 140,
    status: 110,
    tags: 120,
    ownerId: 140,
    lastContactedAt: 160,
  },
};

/** `/contacts` (the record table) and `/contacts/:id` (the contact's own record page). */
export default function Contacts() {
  const { id } = useParams();
  if (id) return <ContactRecord key={id} id={id} />;
  return <ObjectListRoute objectKey="contact" extension={CONTACT_LIST} />;
}
