/** Notifications: the in-app inbox, and record events fanned out to WebSocket clients. */
export { notificationRoutes } from './http.js';
export { notificationConsumer, realtimeConsumer } from './consumers.js';
export { notify, type Notification } from './notifications.js';
