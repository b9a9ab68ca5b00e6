import nodemailer from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../db/index.js';
import { DomainError } from '../errors/index.js';

/** One outgoing message. */
export interface MailMessage {
  organizationId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * A stable Message-ID (`<key@host>`) for a send that may be retried after a crash: receivers and
   * mail servers drop a second message with the same id, so a retry cannot deliver it twice.
   */
  messageId?: string;
}

/**
 * Sends mail. With SMTP_URL set it goes over SMTP; otherwise it is captured into the dev mailbox
 * table, where admins read it in the web app. Both record nothing secret in logs.
 */
export interface Mailer {
  readonly kind: 'smtp' | 'dev-mailbox';
  /** Sends (or captures) a message; `tx` is the tenant transaction the dev mailbox writes in. */
  send(tx: Tx, message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export function createDevMailbox(from: string): Mailer {
  return {
    kind: 'dev-mailbox',
    send: async (tx, m) => {
      await tx
        .insertInto('mailbox')
        .values({
          organization_id: m.organizationId,
          id: uuidv7(),
          to_address: m.to,
          from_address: from,
          subject: m.subject,
          text_body: m.text,
          html_body: m.html ?? null,
        })
        .execute();
    },
    close: async () => undefined,
  };
}

/**
 * Sends over SMTP. It runs inside the caller's transaction, so when the server is down the whole
 * change rolls back and the caller gets a 503 to retry — nothing is stored that was not mailed.
 */
export function createSmtpMailer(url: string, from: string): Mailer {
  // Timeouts short enough to answer a request (nodemailer's default waits two minutes); nodemailer
  // reads options from the URL's query, where an operator's own settings win.
  const withTimeouts = new URL(url);
  for (const [k, v] of [
    ['connectionTimeout', '10000'],
    ['greetingTimeout', '10000'],
    ['socketTimeout', '20000'],
  ]) {
    if (k && v && !withTimeouts.searchParams.has(k)) withTimeouts.searchParams.set(k, v);
  }
  const transport = nodemailer.createTransport(withTimeouts.toString());
  return {
    kind: 'smtp',
    send: async (_tx, m) => {
      try {
        await transport.sendMail({
          from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          ...(m.html ? { html: m.html } : {}),
          ...(m.messageId ? { messageId: m.messageId } : {}),
        });
      } catch (cause) {
        throw new DomainError(
          'unavailable',
          'MAIL_UNAVAILABLE',
          'The mail server could not be reached; nothing was saved, try again shortly',
          { retryAfter: 30, cause },
        );
      }
    },
    close: async () => transport.close(),
  };
}
