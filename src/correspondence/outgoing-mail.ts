import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import { DomainError } from '../platform/errors.js';

/** One e-mail to send. Callers keep PHI out of it: no patient name, MRN or record contents. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

// One SMTP transport (with its connection pool) per running Chartroom, made at first use.
const transports = new WeakMap<AppContext, Transporter>();

/** Whether this installation can send e-mail (CHARTROOM_SMTP_URL is set). */
export const isMailConfigured = (ctx: AppContext): boolean => ctx.config.smtpUrl !== undefined;

export function assertMailConfigured(ctx: AppContext): void {
  if (!isMailConfigured(ctx)) {
    throw new DomainError('conflict', 'mail.not-configured', 'Outgoing e-mail is not set up (CHARTROOM_SMTP_URL). Ask the administrator, or deliver another way.');
  }
}

function transportOf(ctx: AppContext): Transporter {
  assertMailConfigured(ctx);
  let transport = transports.get(ctx);
  if (!transport) {
    transport = nodemailer.createTransport(ctx.config.smtpUrl!);
    transports.set(ctx, transport);
  }
  return transport;
}

/**
 * Sends one e-mail through the configured SMTP server. A refusal answers `mail.send-failed` without
 * the server's words (they may quote the address); the cause goes to the log by its code only.
 */
export async function sendMail(ctx: AppContext, mail: OutgoingMail): Promise<void> {
  const transport = transportOf(ctx);
  try {
    await transport.sendMail({ from: ctx.config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (err) {
    ctx.logger.warn({ code: (err as { code?: string }).code ?? 'unknown', responseCode: (err as { responseCode?: number }).responseCode }, 'outgoing mail refused');
    throw new DomainError('internal', 'mail.send-failed', 'The e-mail could not be sent. Check the mail server settings and try again.');
  }
}

/** Closes this Chartroom's SMTP connections (at shutdown). */
export function closeOutgoingMail(ctx: AppContext): void {
  transports.get(ctx)?.close();
  transports.delete(ctx);
}
