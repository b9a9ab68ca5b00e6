import { can } from '../../platform/authz/index.js';
import type { Ctx } from '../../platform/context/index.js';
import {
  describeFields,
  type FieldDescription,
  type FieldKind,
  type ObjectDescription,
} from '../../platform/objects/index.js';
import {
  loadCustomFields,
  OBJECT_TYPES,
  type CustomFieldDef,
  type ObjectType,
} from '../records/index.js';

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

function describeCustom(def: CustomFieldDef): FieldDescription {
  const choices = def.options?.choices;
  const target = def.options?.objectType;
  return {
    key: def.key,
    label: def.label,
    kind: CUSTOM_KIND[def.type],
    required: def.required,
    editable: true,
    filterable: true,
    sortable: def.type !== 'multi_select',
    ...(choices?.length ? { values: choices } : {}),
    ...(target ? { relation: target } : {}),
    custom: true,
  };
}

const hasCustomFields = (key: string): key is ObjectType =>
  (OBJECT_TYPES as readonly string[]).includes(key);

/**
 * Every object the actor may read, with its fields: the ones its module declares and the
 * organization's custom fields, in the admin's order. What a client needs to draw a list, a
 * record page or a form without knowing the object in advance.
 */
export async function describeObjects(ctx: Ctx): Promise<ObjectDescription[]> {
  const readable = [...ctx.deps.modules.objects.values()].filter((o) =>
    can(ctx.actor, `${o.resource}:read`),
  );
  return ctx.tx(async (tx) => {
    const described: ObjectDescription[] = [];
    for (const o of readable) {
      const custom =
        o.capabilities.customFields && hasCustomFields(o.key)
          ? await loadCustomFields(tx, ctx.organizationId, o.key)
          : [];
      described.push({
        key: o.key,
        resource: o.resource,
        labels: o.labels,
        titleField: o.titleField,
        capabilities: o.capabilities,
        fields: [...describeFields(o), ...custom.map(describeCustom)],
      });
    }
    return described;
  });
}
