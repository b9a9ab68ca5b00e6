import { can, useMe } from '../../api/session';
import { useObjects } from '../../api/use-objects';

/** A kind of record a task can be linked to: the activity's link field and that object's list. */
export interface LinkTarget {
  /** The activity field that holds the link, e.g. `dealId`. */
  field: 'contactId' | 'companyId' | 'dealId' | 'leadId' | 'ticketId';
  resource: string;
  label: string;
  titleField: string;
}

const LINK_FIELDS: ReadonlyArray<LinkTarget['field']> = [
  'contactId',
  'companyId',
  'dealId',
  'leadId',
  'ticketId',
];
const isLinkField = (key: string): key is LinkTarget['field'] =>
  (LINK_FIELDS as readonly string[]).includes(key);

/**
 * The records a task can be about, read from the activity object's relation fields (GET /objects)
 * rather than a list kept here, and only those the user may read.
 */
export function useLinkTargets(): LinkTarget[] {
  const me = useMe().data;
  const objects = useObjects().data ?? [];
  const activity = objects.find((o) => o.key === 'activity');
  return (activity?.fields ?? []).flatMap((f) => {
    const target = objects.find((o) => o.key === f.relation);
    if (!isLinkField(f.key) || !target || !can(me, `${target.permission}:read`)) return [];
    return [
      {
        field: f.key,
        resource: target.resource,
        label: target.labels.singular,
        titleField: target.titleField,
      },
    ];
  });
}
