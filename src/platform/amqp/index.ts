export {
  createAmqpLink,
  type AmqpLink,
  type AmqpLinkOptions,
  type LinkLog,
  type LinkSetup,
} from './link.js';
export { publishConfirmed, type OutgoingMessage } from './publish.js';
export type { Channel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
