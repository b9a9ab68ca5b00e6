import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { ErrorDetail } from '../../platform/errors/index.js';
import { findObject, visibleRecords, type ObjectSummary } from '../../platform/objects/index.js';
import { unknownReferenceMessage, unknownReferences } from '../../platform/references/index.js';
import { NAMED_LINK_OBJECTS, referencesOf, type LinkInput } from './activity-links.js';

/**
 * Whether activities can link to an object's records: it has a timeline (contacts, companies,
 * an admin's objects, notes), or the API names an activity field for it (deals, leads, tickets).
 */
export const canLinkActivities = (o: ObjectSummary): boolean =>
  o.capabilities.timeline || NAMED_LINK_OBJECTS.has(o.key);

/**
 * Every record a link input names must be a live record of a linkable object of this
 * organization that the actor may read — asked of the object's owning module through the
 * catalog, one query per object. One 422 (`REFERENCE_NOT_FOUND`) names every bad field: a named
 * field by itself (`dealId`), a generic link by its part (`links.0.objectType`,
 * `links.0.recordId`); a missing, foreign, trashed and hidden id get the same answer.
 */
export async function assertLinkTargets(ctx: Ctx, tx: Tx, input: LinkInput): Promise<void> {
  const refs = referencesOf(input);
  if (refs.length === 0) return;
  const objects = new Map<string, ObjectSummary | undefined>();
  for (const type of new Set(refs.map((r) => r.objectType)))
    objects.set(type, await findObject(ctx.deps.modules, tx, ctx.organizationId, type));
  const visible = new Map<string, ReadonlySet<string>>();
  for (const [type, object] of objects) {
    if (!object || !canLinkActivities(object)) continue;
    const ids = [...new Set(refs.filter((r) => r.objectType === type).map((r) => r.recordId))];
    visible.set(type, await visibleRecords(ctx.deps.modules, ctx, tx, type, ids));
  }
  const details: ErrorDetail[] = [];
  for (const r of refs) {
    const object = objects.get(r.objectType);
    const generic = r.field.startsWith('links.');
    if (!object || !canLinkActivities(object))
      details.push({
        path: `${r.field}.objectType`,
        message: `${r.objectType} is not an object activities can link to`,
      });
    else if (!visible.get(r.objectType)?.has(r.recordId))
      details.push({
        path: generic ? `${r.field}.recordId` : r.field,
        message: unknownReferenceMessage(object.labels.singular.toLowerCase()),
      });
  }
  if (details.length) throw unknownReferences(details);
}
