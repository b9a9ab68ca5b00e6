/** What a module lends notifications, declared beside its `ModuleDefinition`. */
export interface NotificationsContributions {
  /**
   * The resource of each of its record types whose events reach WebSocket clients
   * (`deal` → `deals`): the resource's read permission decides who hears them.
   */
  realtimeResources?: Readonly<Record<string, string>>;
}

let resources = new Map<string, string>();

/** Makes the modules' record types known to the real-time fan-out; the module list calls it at start-up. */
export function installRealtimeResources(modules: readonly NotificationsContributions[]): void {
  resources = new Map(modules.flatMap((m) => Object.entries(m.realtimeResources ?? {})));
}

/** The resource of a record type whose events go to WebSocket clients, if it is one. */
export const realtimeResourceOf = (aggregateType: string): string | undefined =>
  resources.get(aggregateType);
