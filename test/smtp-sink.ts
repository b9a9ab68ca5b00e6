import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the sink accepted. */
export interface SunkMessage {
  to: string[];
  /** The Message-ID header as sent, e.g. `<wf-…@host>`; null when absent. */
  messageId: string | null;
  raw: string;
}

/** A real SMTP server on 127.0.0.1 standing in for the mail provider. */
export interface SmtpSink {
  url: string;
  messages: SunkMessage[];
  close(): Promise<void>;
}

/** Starts an SMTP server that accepts every message without authentication or TLS. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        // Headers end at the first blank line; a folded Message-ID continues on an indented line.
        const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
        const messageId =
          /^message-id:\s*(<[^>]+>)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? null;
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
        callback();
      });
    },
  });
  // A sender killed mid-conversation (the reliability test does that on purpose) resets its
  // connection; smtp-server re-emits that on the server, where no listener would crash the run.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
