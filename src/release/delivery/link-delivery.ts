import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { assertMailConfigured, sendMail, type OutgoingMail } from '../../correspondence/index.js';
import { DEFAULT_MAX_DOWNLOADS } from './link-status.js';
import { assertMayDeliver, createDownloadLink, type NewDownloadLink } from './download-links.js';

/** How the passcode reaches the recipient: a second e-mail, or the clerk reads it out by telephone. */
export const PASSCODE_CHANNELS = ['email', 'phone'] as const;
export type PasscodeChannel = (typeof PASSCODE_CHANNELS)[number];

export interface LinkDelivery extends NewDownloadLink {
  recipientEmail: string;
  passcodeBy: PasscodeChannel;
}

/** What the clerk sees after sending: the passcode only when they are to read it out. */
export interface SentDownloadLink {
  id: string;
  expiresAt: string;
  fileName: string;
  emailsSent: number;
  passcode?: string;
}

const longDate = (iso: string) => new Date(iso).toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

/** The e-mail with the link: who it is from and until when, nothing about the patient or the records. */
export function linkMail(facility: string, to: string, url: string, expiresAt: string, maxDownloads: number, passcodeBy: PasscodeChannel): OutgoingMail {
  const passcodeNote = passcodeBy === 'email'
    ? 'You will need a passcode, which we send in a separate e-mail.'
    : 'You will need a passcode, which the records department gives you by telephone.';
  return {
    to,
    subject: `Records you requested from ${facility} are ready`,
    text: [
      `Records you requested from ${facility} are ready.`,
      '',
      'Download them through this secure link:',
      url,
      '',
      passcodeNote,
      `The link works until ${longDate(expiresAt)}, for up to ${maxDownloads} download${maxDownloads === 1 ? '' : 's'}.`,
      '',
      `If you did not ask for records from ${facility}, ignore this e-mail and tell its records department.`,
    ].join('\n'),
  };
}

/** The second e-mail: the passcode alone, no link. */
export function passcodeMail(facility: string, to: string, passcode: string): OutgoingMail {
  return {
    to,
    subject: `Your passcode for records from ${facility}`,
    text: [
      `Your passcode is: ${passcode}`,
      '',
      `Enter it on the page of the download link we sent you in a separate e-mail from ${facility}.`,
      'Five wrong passcodes lock the link.',
    ].join('\n'),
  };
}

/**
 * Sends a secure download link: e-mail 1 carries the link and its expiry, e-mail 2 the passcode
 * alone (or the clerk reads the passcode out by telephone). The link is created (and audited) and
 * e-mailed in one transaction, so a mail server that refuses leaves no link behind.
 */
export async function sendDownloadLink(ctx: AppContext, principal: Principal, delivery: LinkDelivery): Promise<SentDownloadLink> {
  assertMailConfigured(ctx);
  const emergency = await assertMayDeliver(ctx, principal, delivery.patientId);
  const facility = ctx.config.facilityName;
  return ctx.db.transaction().execute(async (trx) => {
    const link = await createDownloadLink(trx, ctx, principal, delivery, emergency);
    const maxDownloads = delivery.maxDownloads ?? DEFAULT_MAX_DOWNLOADS;
    await sendMail(ctx, linkMail(facility, delivery.recipientEmail, link.url, link.expiresAt, maxDownloads, delivery.passcodeBy));
    if (delivery.passcodeBy === 'email') await sendMail(ctx, passcodeMail(facility, delivery.recipientEmail, link.passcode));
    const emailsSent = delivery.passcodeBy === 'email' ? 2 : 1;
    return { id: link.id, expiresAt: link.expiresAt, fileName: link.fileName, emailsSent, ...(delivery.passcodeBy === 'phone' ? { passcode: link.passcode } : {}) };
  });
}
