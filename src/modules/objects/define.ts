import type { Ctx } from '../../platform/context/index.js';
import { DomainError, errors } from '../../platform/errors/index.js';
import type { ObjectDescription } from '../../platform/objects/index.js';
import {
  createCustomField,
  dropCustomFieldsOf,
  type CreateCustomFieldInput,
} from '../records/index.js';
import {
  defineCustomObject,
  fieldsOf,
  findCustomObject,
  removeCustomObject,
  updateCustomObject,
  type DefineObjectInput,
} from './custom-objects.js';
import { describeCustomObject, describeObjects } from './describe.js';

/** A field given with a new object: a custom field of the object's key. */
export type InitialField = Omit<CreateCustomFieldInput, 'objectType'>;

/** The description of one object the actor may read (404 otherwise, as for a missing one). */
export async function describeObject(ctx: Ctx, key: string): Promise<ObjectDescription> {
  const [found] = await describeObjects(ctx, key);
  if (!found) throw errors.notFound('Object');
  return found;
}

async function describeCustom(ctx: Ctx, key: string): Promise<ObjectDescription> {
  return ctx.tx(async (tx) => {
    const object = await findCustomObject(tx, ctx.organizationId, { key });
    return describeCustomObject(object, await fieldsOf(tx, ctx.organizationId, object));
  });
}

/**
 * Defines a custom object and its first fields. The fields are custom fields of its key, created
 * one by one after the object; their keys must be distinct and not the object's own `name`/`ownerId`.
 */
export async function defineObject(
  ctx: Ctx,
  input: DefineObjectInput & { fields?: InitialField[] },
): Promise<ObjectDescription> {
  const fields = input.fields ?? [];
  const problems = fields.flatMap((f, i) =>
    ['name', 'ownerId', 'id', 'customFields'].includes(f.key) ||
    fields.findIndex((g) => g.key === f.key) !== i
      ? [{ path: `fields.${i}.key`, message: `${f.key} is taken` }]
      : [],
  );
  if (problems.length) throw errors.validation(problems);
  const object = await defineCustomObject(ctx, input);
  for (const [i, field] of fields.entries()) {
    try {
      await createCustomField(ctx, {
        ...field,
        objectType: object.key,
        position: field.position ?? i,
      });
    } catch (err) {
      // Leave no half-defined object behind: what was created so far is removed with it.
      await removeCustomObject(ctx, object.key, (tx) => dropCustomFieldsOf(ctx, tx, object.key));
      throw underField(err, i);
    }
  }
  return describeCustom(ctx, object.key);
}

export async function reviseObject(
  ctx: Ctx,
  key: string,
  input: Parameters<typeof updateCustomObject>[2],
): Promise<ObjectDescription> {
  await updateCustomObject(ctx, key, input);
  return describeCustom(ctx, key);
}

export async function removeObject(ctx: Ctx, key: string): Promise<void> {
  await removeCustomObject(ctx, key, (tx) => dropCustomFieldsOf(ctx, tx, key));
}

/** A field's error named by its place in the body (`fields.2.options.choices`). */
function underField(err: unknown, i: number): unknown {
  if (!(err instanceof DomainError) || !Array.isArray(err.details)) return err;
  return new DomainError(err.kind, err.code, err.message, {
    details: err.details.map((d) => ({ ...d, path: `fields.${i}.${d.path}` })),
  });
}
