/** Correspondence: outgoing mail. What other capabilities may use. */
export { sendMail, isMailConfigured, assertMailConfigured, closeOutgoingMail, type OutgoingMail } from './outgoing-mail.js';
