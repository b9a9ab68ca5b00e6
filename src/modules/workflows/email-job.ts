import { z } from 'zod';
import { createCtx, systemActor, type Ctx } from '../../platform/context/index.js';
import type { Tx } from '../../platform/db/index.js';
import type { JobHandler } from '../../platform/jobs/index.js';
import type { MailMessage } from '../../platform/mail/index.js';

/** The job that sends a run's email over SMTP once the step that wrote it has committed. */
export const SEND_EMAIL_JOB = 'workflow.send_email';

const messageSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  messageId: z.string(),
});

/**
 * Sends a step's email: in `tx` when the mailer writes to the dev mailbox (exactly once, with the
 * step), otherwise as a job written in `tx` and sent after the commit. An SMTP send cannot be undone,
 * so it must never happen inside a transaction that may still roll back — a step run inline with
 * others is undone when a later one fails. The job retries a mail server that is down, and its
 * Message-ID is fixed per run and step, so a resend after a crash is dropped by the receiver.
 */
export async function sendStepEmail(
  ctx: Ctx,
  tx: Tx,
  message: MailMessage & { messageId: string },
): Promise<void> {
  if (ctx.deps.mailer.kind !== 'smtp') return ctx.deps.mailer.send(tx, message);
  const { organizationId, ...payload } = message;
  await ctx.deps.jobs.enqueueHere(tx, {
    organizationId,
    name: SEND_EMAIL_JOB,
    payload,
    key: `email:${message.messageId}`,
    maxAttempts: 8,
  });
}

export const sendEmailHandler: JobHandler = {
  name: SEND_EMAIL_JOB,
  handle: async (job, deps) => {
    const message = messageSchema.parse(job.payload);
    const ctx = createCtx(deps, systemActor(job.organizationId));
    await ctx.tx(async (tx) => {
      await deps.mailer.send(tx, { organizationId: job.organizationId, ...message });
      await job.complete(tx);
    });
  },
};
