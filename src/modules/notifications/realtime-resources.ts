/** What a module lends notifications, declared beside its `ModuleDefinition`. */
export interface NotificationsContributions {
  /**
   * The permission resource that guards the records of objects defined as data (their events
   * carry `object: <key>` and `resource: <REST resource>` in the payload).
   */
  dataObjectsPermission?: string;
}

let resources = new Map<string, string>();
let dataPermission: string | null = null;

/**
 * Makes the record types known to the real-time fan-out and notices: every object of the registry
 * (its events are guarded by its resource's read permission), and the permission of objects
 * defined as data. The module list calls it at start-up.
 */
export function installRealtimeResources(
  objects: Iterable<{ key: string; resource: string }>,
  modules: readonly NotificationsContributions[],
): void {
  resources = new Map([...objects].map((o) => [o.key, o.resource]));
  dataPermission = modules.find((m) => m.dataObjectsPermission)?.dataObjectsPermission ?? null;
}

/** Whether an event's payload says it is about a record of an object defined as data. */
const isDataObject = (type: string, payload: Record<string, unknown>): boolean =>
  !resources.has(type) && payload.object === type;

/** The permission resource whose read decides who hears a record type's events, if it is one. */
export function realtimeResourceOf(
  aggregateType: string,
  payload: Record<string, unknown>,
): string | undefined {
  if (isDataObject(aggregateType, payload)) return dataPermission ?? undefined;
  return resources.get(aggregateType);
}

/** The REST resource (and web path) of a record type: `/deals/<id>`, `/projects/<id>`. */
export function objectResourceOf(type: string, payload: Record<string, unknown>): string | null {
  if (isDataObject(type, payload))
    return typeof payload.resource === 'string' ? payload.resource : null;
  return resources.get(type) ?? null;
}
