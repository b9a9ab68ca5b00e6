import type { Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import { errors, type ErrorDetail } from '../../platform/errors/index.js';
import { objectsOf } from '../../platform/objects/index.js';
import { triggerObject, type Definition } from './definition.js';

/**
 * The objects a definition names (its trigger's, and those its steps create) that the
 * organization does not have or that take no workflows — an admin's object removed since, or a
 * typo in an API client's draft. Each is named by its place in the definition.
 */
export async function unknownObjects(ctx: Ctx, tx: Tx, def: Definition): Promise<ErrorDetail[]> {
  const usable = new Set(
    (await objectsOf(ctx.deps.modules, tx, ctx.organizationId))
      .filter((o) => o.capabilities.workflows)
      .map((o) => o.key),
  );
  const named: Array<[string, string]> = [];
  const trigger = triggerObject(def.trigger);
  if (trigger) named.push(['trigger.object', trigger]);
  def.steps.forEach((s, i) => {
    if (s.type === 'create_record') named.push([`steps.${i}.object`, s.object]);
  });
  return named
    .filter(([, key]) => !usable.has(key))
    .map(([path, key]) => ({ path, message: `${key} is not an object workflows can use here` }));
}

/** A draft naming an object the organization lacks is malformed input: 400 naming `draft.<path>`. */
export async function assertKnownObjects(ctx: Ctx, tx: Tx, def: Definition): Promise<void> {
  const problems = await unknownObjects(ctx, tx, def);
  if (problems.length)
    throw errors.validation(problems.map((p) => ({ ...p, path: `draft.${p.path}` })));
}
