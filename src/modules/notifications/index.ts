/** Notifications: the in-app inbox, and record events fanned out to WebSocket clients. */
import type { ModuleDefinition } from '../../platform/module-definition/index.js';
import { notificationConsumer, realtimeConsumer } from './consumers.js';
import { notificationRoutes } from './http.js';

/** Notifications as the module list sees it. */
export const notificationsModule: ModuleDefinition = {
  name: 'notifications',
  routes: notificationRoutes,
  consumers: [notificationConsumer, realtimeConsumer],
};

export { realtimeConsumer } from './consumers.js';
export { installRealtimeResources, type NotificationsContributions } from './realtime-resources.js';
export { notify, type Notification } from './notifications.js';
