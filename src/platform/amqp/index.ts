export { createAmqpLink, type AmqpLink, type AmqpLinkOptions, type LinkLog, type LinkSetup } from './link.js';
export type { Channel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
