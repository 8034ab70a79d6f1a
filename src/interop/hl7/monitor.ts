import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { AuditActor } from '../../audit/actions.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { parseEr7 } from './er7.js';
import { receiveMessage, type MessageStatus } from './processing.js';
import type { InterfaceMessagesTable } from './schema.js';

type MessageRow = Selectable<InterfaceMessagesTable>;

/** A message as the interface monitor lists it: the PHI-free summary only. */
export type MessageSummary = Omit<MessageRow, 'rawSealed' | 'parsedSealed' | 'dedupKey' | 'status'> & { status: MessageStatus };

export interface MessageFilter {
  status?: MessageStatus;
  /** A trigger (A01) or type^trigger (ADT^A01). */
  type?: string;
  controlId?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

const toSummary = ({ rawSealed: _raw, parsedSealed: _parsed, dedupKey: _key, ...summary }: MessageRow): MessageSummary => ({ ...summary, status: summary.status as MessageStatus });

/** The messages received, newest first, by status, type, control id and time; no PHI, so no read of a record. */
export async function listMessages(ctx: AppContext, filter: MessageFilter): Promise<{ messages: MessageSummary[]; total: number }> {
  let q = ctx.db.selectFrom('interfaceMessages');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.type) {
    const [type, trigger] = filter.type.includes('^') ? filter.type.split('^') : [undefined, filter.type];
    if (type) q = q.where('messageType', '=', type);
    if (trigger) q = q.where('triggerEvent', '=', trigger);
  }
  if (filter.controlId) q = q.where('controlId', '=', filter.controlId);
  if (filter.from) q = q.where('receivedAt', '>=', filter.from);
  // A bare date as the end includes that whole day.
  if (filter.to) q = q.where('receivedAt', '<', /^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? `${filter.to}T23:59:59.999Z~` : filter.to);
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('receivedAt', 'desc').orderBy('id', 'desc').limit(Math.min(filter.limit ?? 50, 200)).offset(filter.offset ?? 0).execute();
  return { messages: rows.map(toSummary), total: Number(n) };
}

export interface SegmentView {
  name: string;
  /** Field values as sent (still ER7-escaped), by field number; [0] is the segment name. */
  fields: string[];
}

export interface MessageDetail extends MessageSummary {
  raw: string;
  segments: SegmentView[];
  /** What the interface made of it (demographics, visit, event, allergies, warnings), when it parsed. */
  parsed: unknown;
}

/** One message with its raw text and segments: a read of PHI, audited against its patient. */
export async function readMessageDetail(ctx: AppContext, actor: AuditActor, id: string): Promise<MessageDetail> {
  const row = await ctx.db.selectFrom('interfaceMessages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The message');
  const raw = ctx.keyring.openText(row.rawSealed);
  let segments: SegmentView[] = [];
  try {
    segments = parseEr7(raw).segments.map((s) => ({ name: s.name, fields: s.fields }));
  } catch {
    segments = [];
  }
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor, action: 'read', patientId: row.patientId, recordType: 'hl7_message', recordId: id }, ctx.clock),
  );
  return { ...toSummary(row), raw, segments, parsed: row.parsedSealed ? JSON.parse(ctx.keyring.openText(row.parsedSealed)) : null };
}

/**
 * Applies a failed or held message again, as it was or as a supervisor corrected it: the text is
 * parsed and applied in one transaction as a new message that replaces the original; the original
 * stays, unchanged, for history. A text that still fails is kept as a failed attempt (it can be
 * corrected in turn) and the answer names the field.
 */
export async function reprocessMessage(ctx: AppContext, actor: AuditActor, id: string, correctedText?: string): Promise<MessageSummary> {
  const original = await ctx.db.selectFrom('interfaceMessages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!original) throw notFound('The message');
  if (!REPROCESSABLE.includes(original.status as MessageStatus) || original.replacedBy) {
    throw new DomainError('conflict', 'hl7.not-reprocessable', 'Only a failed or held message that was not already corrected can be reprocessed.');
  }
  const text = (correctedText ?? ctx.keyring.openText(original.rawSealed)).replace(/\r\n|\n/g, '\r');
  // A held original gives up its claim on the control id to its correction.
  if (original.status === 'held') await ctx.db.updateTable('interfaceMessages').set({ dedupKey: null }).where('id', '=', id).execute();
  const received = await receiveMessage(ctx, text, { actor, replaces: id });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('interfaceMessages').set({ replacedBy: received.messageId, correctedBy: actor.name ?? actor.id ?? null }).where('id', '=', id).execute();
    await recordAuditEvent(trx, {
      actor, action: 'update', patientId: original.patientId, recordType: 'hl7_message', recordId: id,
      details: { reprocessedAs: received.messageId, corrected: correctedText !== undefined, status: received.status },
    }, ctx.clock);
  });
  const row = await ctx.db.selectFrom('interfaceMessages').selectAll().where('id', '=', received.messageId).executeTakeFirstOrThrow();
  if (received.status === 'error' || received.status === 'rejected') {
    throw new DomainError('invalid', 'hl7.message-refused', `The message is still refused (HL7 error ${row.errorCode}): ${row.errorText}`,
      [{ field: row.errorLocation ?? 'MSH', message: row.errorText ?? 'Refused.' }], { messageId: row.id });
  }
  if (received.status === 'duplicate') throw new DomainError('conflict', 'hl7.duplicate', 'A message with this control id from this facility was already applied.', [], { messageId: row.id });
  return toSummary(row);
}

const REPROCESSABLE: MessageStatus[] = ['error', 'held', 'rejected'];
