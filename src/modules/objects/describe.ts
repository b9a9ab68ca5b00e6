import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import {
  bulkOf,
  bulkOfDefinition,
  mergeOf,
  mergeOfDefinition,
  describeFields,
  type FieldDescription,
  type FieldKind,
  type ObjectDescription,
} from '../../platform/objects/index.js';
import {
  columnsOfFields,
  loadCustomFields,
  type CustomFieldDef,
  type ExportTarget,
} from '../records/index.js';
import {
  CUSTOM_CAPABILITIES,
  CUSTOM_RECORDS,
  fieldsOf,
  findCustomObject,
  loadCustomObjects,
  type CustomObject,
} from './custom-objects.js';
import { listObjectRecords } from './object-records.js';

const CUSTOM_KIND: Record<CustomFieldDef['type'], FieldKind> = {
  text: 'text',
  long_text: 'long_text',
  number: 'number',
  currency: 'money',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  select: 'enum',
  multi_select: 'tags',
  url: 'url',
  email: 'email',
  phone: 'phone',
  relation: 'relation',
};

/** An admin's field; `custom` says whether its value lives under `customFields` (built-in objects). */
function describeCustom(def: CustomFieldDef, custom: boolean): FieldDescription {
  const choices = def.options?.choices;
  const target = def.options?.objectType;
  const multiple = def.type === 'relation' && def.options?.multiple === true;
  return {
    key: def.key,
    label: def.label,
    kind: CUSTOM_KIND[def.type],
    required: def.required,
    editable: true,
    filterable: true,
    sortable: def.type !== 'multi_select' && !multiple,
    ...(choices?.length ? { values: choices } : {}),
    ...(target ? { relation: target } : {}),
    ...(multiple ? { multiple } : {}),
    custom,
    // Fields a module declares have no definition an admin could edit.
    ...(def.id ? { definitionId: def.id } : {}),
  };
}

const systemField = (
  key: string,
  label: string,
  kind: FieldDescription['kind'],
  editable: boolean,
  extra: Partial<FieldDescription> = {},
): FieldDescription => ({
  key,
  label,
  kind,
  required: false,
  editable,
  filterable: true,
  sortable: true,
  custom: false,
  ...extra,
});

/**
 * The fields an admin marked personal (the record's name first when it is), or null when none is
 * (no GDPR actions to offer).
 */
function personalDataOf(
  o: CustomObject,
  defs: readonly CustomFieldDef[],
): { fields: string[] } | null {
  const fields = [
    ...(o.personalName ? ['name'] : []),
    ...defs.filter((d) => d.personal).map((d) => d.key),
  ];
  return fields.length ? { fields } : null;
}

/** A custom object as clients see it: a name, an owner, the admin's fields, and its times. */
export function describeCustomObject(
  o: CustomObject,
  defs: readonly CustomFieldDef[],
): ObjectDescription & { personalName: boolean } {
  const fields = [
    systemField('name', 'Name', 'text', true, { required: true, maxLength: 500 }),
    systemField('ownerId', 'Owner', 'relation', true, { relation: 'user' }),
    ...defs.map((d) => describeCustom(d, false)),
    systemField('createdAt', 'Created at', 'datetime', false),
    systemField('updatedAt', 'Updated at', 'datetime', false),
  ];
  return {
    key: o.key,
    resource: o.resource,
    labels: o.labels,
    titleField: 'name',
    capabilities: CUSTOM_CAPABILITIES,
    custom: !o.builtIn,
    icon: o.icon,
    permission: CUSTOM_RECORDS,
    fields,
    // Their records are listed, changed and deleted by the kernel's services, so all take bulk actions.
    bulk: bulkOf(fields, 'name', 'ownerId'),
    personalData: personalDataOf(o, defs),
    merge: mergeOf(fields, CUSTOM_CAPABILITIES, { customFieldsApart: false }),
    personalName: o.personalName,
  };
}

/**
 * Every object the actor may read (given `only`, just the one with that key), with its fields:
 * the ones its module declares and the organization's custom fields, in the admin's order. What a client needs to draw a list, a
 * record page or a form without knowing the object in advance.
 */
export async function describeObjects(ctx: Ctx, only?: string): Promise<ObjectDescription[]> {
  const wanted = (key: string) => only === undefined || key === only;
  const readable = [...ctx.deps.modules.objects.values()].filter(
    (o) => wanted(o.key) && can(ctx.actor, `${o.resource}:read`),
  );
  return ctx.tx(async (tx) => {
    const described: ObjectDescription[] = [];
    for (const o of readable) {
      const custom = o.capabilities.customFields
        ? await loadCustomFields(tx, ctx.organizationId, o.key)
        : [];
      described.push({
        key: o.key,
        resource: o.resource,
        labels: o.labels,
        titleField: o.titleField,
        capabilities: o.capabilities,
        custom: false,
        icon: null,
        permission: o.resource,
        fields: [...describeFields(o), ...custom.map((d) => describeCustom(d, true))],
        bulk: bulkOfDefinition(o),
        personalData: o.personalData ? { fields: [...o.personalData.fields] } : null,
        merge: mergeOfDefinition(o),
      });
    }
    if (can(ctx.actor, `${CUSTOM_RECORDS}:read`))
      for (const o of await loadCustomObjects(tx, ctx.organizationId))
        if (wanted(o.key))
          described.push(describeCustomObject(o, await fieldsOf(tx, ctx.organizationId, o)));
    return described;
  });
}

/**
 * How a kernel object (an admin's, or one a module declares as data, like notes) is exported: one
 * column per field of its description, in the order the web app shows them, and its records
 * through its list. 404 when the organization has no object at `resource`.
 */
export async function exportTargetOf(ctx: Ctx, resource: string): Promise<ExportTarget> {
  const description = await ctx.tx(async (tx) => {
    const object = await findCustomObject(tx, ctx.organizationId, { resource });
    return describeCustomObject(object, await fieldsOf(tx, ctx.organizationId, object));
  });
  return {
    resource: description.resource,
    permission: description.permission,
    columns: columnsOfFields(description.fields),
    list: (listing, query) => listObjectRecords(listing, { key: description.key }, query),
  };
}
