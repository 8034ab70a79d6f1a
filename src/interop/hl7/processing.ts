import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import type { AuditActor } from '../../audit/actions.js';
import { recordAuditEvent, transactionWithAuditBatch } from '../../audit/trail.js';
import { applyEncounterEvent } from '../../encounters/index.js';
import { findPatientIdByIdentifiers, identifyOrRegisterPatient, mergePatientsWithin } from '../../patients/index.js';
import { isDomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { buildAck, type AckCode } from './ack.js';
import { parseAdtMessage, readHeader, readMessage, type AdtMessage, type MessageHeader } from './adt-message.js';
import { ERROR_CONDITIONS, Er7Reader, Hl7MessageError, parseEr7, type ErrorLocation } from './er7.js';
import { findHeldMessages, insertAcceptedMessage, recordMessageOutcome } from './message-store.js';

/** What became of a message: applied, refused (error: AE, rejected: AR), waiting for an earlier event, or a repeat. */
export const MESSAGE_STATUSES = ['processed', 'error', 'held', 'duplicate', 'rejected'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface ReceivedMessage {
  messageId: string;
  status: MessageStatus;
  ackCode: AckCode;
  ack: string;
}

/** The interface acts as a system actor named for the sending application. */
export function interfaceActor(sendingApplication: string, ip?: string | null): AuditActor {
  return { type: 'system', name: `hl7:${sendingApplication || 'unknown'}`.slice(0, 100), ip: ip ?? null };
}

const dedupKeyOf = (h: MessageHeader) => `${h.sendingFacility}|${h.controlId}`;
const locationText = (l?: ErrorLocation) => (l ? [l.segment, l.sequence, l.field, l.component].filter((x) => x !== undefined).join('^') : null);

/** A message that waits for an earlier event; thrown inside a retry so nothing of it is written. */
class StillHeld extends Error {}

interface Applied {
  patientId: string;
  visitNumber: string | null;
  held: boolean;
  heldReason?: string;
}

/**
 * Applies a parsed ADT message inside the caller's transaction: the patient through the MPI, then
 * the merge or the visit event. An event that cannot apply yet (`out_of_order`) leaves the visit
 * untouched and answers `held`.
 */
export async function applyAdtMessage(trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, m: AdtMessage): Promise<Applied> {
  const reason = `HL7 ADT^${m.trigger} ${m.header.controlId} from ${m.header.sendingApplication || 'unknown'}`;
  const who = await identifyOrRegisterPatient(trx, ctx, actor, {
    mrns: m.patient.mrns, demographics: m.patient.demographics, update: m.updatesPatient, reason,
  });
  let merged = false;
  if (m.merge) {
    const retiredId = await findPatientIdByIdentifiers(trx, ctx, m.merge.mrns, m.merge.identifiers);
    if (!retiredId) throw new Hl7MessageError(ERROR_CONDITIONS.unknownKeyIdentifier, 'MRG-1 names no patient on file.', { segment: 'MRG', sequence: 1, field: 1 });
    if (retiredId !== who.patientId) {
      await mergePatientsWithin(trx, ctx, actor, who.patientId, retiredId, reason);
      merged = true;
    }
  }
  if (!m.event) return { patientId: who.patientId, visitNumber: m.visit?.visitNumber ?? null, held: false };
  // The row the MPI answered is current unless a merge has just changed the survivor.
  const outcome = await applyEncounterEvent(trx, ctx, actor, { patientId: who.patientId, visitNumber: m.visit?.visitNumber ?? null, event: m.event, source: 'hl7' }, merged ? {} : { patient: who.patient });
  if (outcome.outcome === 'out_of_order') return { patientId: who.patientId, visitNumber: m.visit?.visitNumber ?? null, held: true, heldReason: outcome.reason };
  return { patientId: who.patientId, visitNumber: outcome.visitNumber, held: false };
}

/** A domain failure as the sender should read it: table 0357 code and the segment it concerns. */
function asMessageError(err: unknown): Hl7MessageError | undefined {
  if (err instanceof Hl7MessageError) return err;
  if (!isDomainError(err)) return undefined;
  const pid3 = { segment: 'PID', sequence: 1, field: 3 };
  switch (err.code) {
    case 'patient.unknown-mrn': return new Hl7MessageError(ERROR_CONDITIONS.unknownKeyIdentifier, err.detail, pid3);
    case 'patient.identifiers-disagree':
    case 'patient.identifier-taken': return new Hl7MessageError(ERROR_CONDITIONS.duplicateKeyIdentifier, err.detail, pid3);
    case 'patient.legal-hold': return new Hl7MessageError(ERROR_CONDITIONS.applicationRecordLocked, err.detail, { segment: 'MRG', sequence: 1 });
    case 'request.invalid': return new Hl7MessageError(ERROR_CONDITIONS.dataType, err.detail, { segment: 'PID', sequence: 1 });
    default: return new Hl7MessageError(ERROR_CONDITIONS.applicationInternalError, `${err.detail} (${err.code})`);
  }
}

/**
 * Receives one message from a sender: stores it (sealed), applies it in the same transaction, and
 * answers the ACK only after that transaction committed. A refused message is stored with its
 * error and nothing of it applied; a repeated control id is answered AA and not applied again.
 */
export async function receiveMessage(ctx: AppContext, text: string, from: { ip?: string | null; actor?: AuditActor; replaces?: string } = {}): Promise<ReceivedMessage> {
  const receivedAt = ctx.clock.now().toISOString();
  const messageId = newId();
  const replaces = from.replaces;
  let reader: Er7Reader | undefined;
  let header: MessageHeader | undefined;
  try {
    ({ reader, header } = readMessage(text));
  } catch (err) {
    const e = err instanceof Hl7MessageError ? err : new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, 'Not an HL7 v2 message.', undefined, true);
    try { reader ??= new Er7Reader(parseEr7(text)); } catch { /* not even an MSH: the ACK leaves the header blank */ }
    return refuse(ctx, { messageId, receivedAt, text, reader, header: reader ? safeHeader(reader) : undefined, error: e, replaces, actor: from.actor });
  }
  const actor = from.actor ?? interfaceActor(header.sendingApplication, from.ip);
  let parsed: AdtMessage;
  try {
    parsed = parseAdtMessage(text, ctx.config.mrnSystem);
  } catch (err) {
    const e = asMessageError(err);
    if (!e) throw err;
    return refuse(ctx, { messageId, receivedAt, text, reader, header, error: e, replaces, actor });
  }
  const outcome = await applyAndStore(ctx, actor, { messageId, receivedAt, text, header, parsed, reader, replaces });
  if (outcome.status === 'processed' && outcome.applied) await retryHeldMessages(ctx, outcome.applied.patientId, outcome.applied.visitNumber);
  return outcome.result;
}

interface Incoming {
  messageId: string;
  receivedAt: string;
  text: string;
  header: MessageHeader;
  parsed: AdtMessage;
  reader: Er7Reader;
  replaces?: string;
}

/** The message row, the MPI and visit changes, and their audit events (appended together at the end): one transaction. */
async function applyAndStore(ctx: AppContext, actor: AuditActor, m: Incoming): Promise<{ status: MessageStatus; applied?: Applied; result: ReceivedMessage }> {
  try {
    return await transactionWithAuditBatch(ctx.db, async (trx) => {
      const inserted = await insertAcceptedMessage(trx, {
        ...summaryOf(m.header), id: m.messageId, status: 'processed', receivedAt: m.receivedAt, processedAt: null, ackCode: 'AA',
        dedupKey: dedupKeyOf(m.header), rawSealed: ctx.keyring.seal(m.text), parsedSealed: ctx.keyring.seal(JSON.stringify(m.parsed)),
        attempts: 1, replaces: m.replaces ?? null,
      });
      if (!inserted) return { status: 'duplicate' as const, result: { messageId: m.messageId, status: 'duplicate' as const, ackCode: 'AA' as const, ack: '' } };
      const applied = await applyAdtMessage(trx, ctx, actor, m.parsed);
      const status: MessageStatus = applied.held ? 'held' : 'processed';
      await recordMessageOutcome(trx, {
        id: m.messageId, status, processedAt: applied.held ? null : ctx.clock.now().toISOString(), patientId: applied.patientId, visitNumber: applied.visitNumber,
        errorText: applied.held ? `Held: ${applied.heldReason ?? 'waits for an earlier event'}`.slice(0, 300) : null,
      });
      await recordAuditEvent(trx, {
        actor, action: 'create', patientId: applied.patientId, recordType: 'hl7_message', recordId: m.messageId,
        details: { trigger: m.header.trigger, status, controlId: m.header.controlId },
      }, ctx.clock);
      return { status, applied, result: { messageId: m.messageId, status, ackCode: 'AA' as const, ack: buildAck('AA', { reader: m.reader, controlId: newId(), now: ctx.clock.now() }) } };
    }).then(async (r) => {
      if (r.status !== 'duplicate') return r;
      // A repeat of a message already accepted: answered AA, stored for the monitor, applied no more.
      await storeRow(ctx, { messageId: m.messageId, receivedAt: m.receivedAt, text: m.text, header: m.header, status: 'duplicate', ackCode: 'AA', replaces: m.replaces, actor });
      return { status: 'duplicate' as const, result: { messageId: m.messageId, status: 'duplicate' as const, ackCode: 'AA' as const, ack: buildAck('AA', { reader: m.reader, controlId: newId(), now: ctx.clock.now() }) } };
    });
  } catch (err) {
    const e = asMessageError(err);
    if (!e) {
      // Neither PHI nor the database's own message (it may quote values) goes to the log.
      ctx.logger.error({ messageId: m.messageId, error: (err as Error)?.name, code: (err as { code?: unknown })?.code }, 'HL7 message failed');
    }
    return { status: 'error', result: await refuse(ctx, { ...m, actor, error: e ?? new Hl7MessageError(ERROR_CONDITIONS.applicationInternalError, 'The message could not be applied (internal error); it is kept for the interface monitor.') }) };
  }
}

function safeHeader(reader: Er7Reader): MessageHeader | undefined {
  try {
    return reader.first('MSH') ? readHeader(reader) : undefined;
  } catch {
    return undefined;
  }
}

function summaryOf(h: MessageHeader | undefined) {
  const cut = (s: string | undefined, n = 100) => (s ? s.slice(0, n) : null);
  return {
    controlId: cut(h?.controlId), sendingApplication: cut(h?.sendingApplication), sendingFacility: cut(h?.sendingFacility),
    messageType: cut(h?.messageType, 10), triggerEvent: cut(h?.trigger, 10), version: cut(h?.version, 10),
  };
}

async function storeRow(ctx: AppContext, r: { messageId: string; receivedAt: string; text: string; header?: MessageHeader; status: MessageStatus; ackCode: AckCode; error?: Hl7MessageError; replaces?: string; actor?: AuditActor }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('interfaceMessages').values({
      ...summaryOf(r.header), id: r.messageId, status: r.status, receivedAt: r.receivedAt, processedAt: ctx.clock.now().toISOString(), ackCode: r.ackCode,
      errorCode: r.error?.condition ?? null, errorLocation: locationText(r.error?.location), errorText: r.error?.text.slice(0, 300) ?? null,
      dedupKey: null, rawSealed: ctx.keyring.seal(r.text), parsedSealed: null, attempts: 1, replaces: r.replaces ?? null,
    }).execute();
    await recordAuditEvent(trx, {
      actor: r.actor ?? interfaceActor(r.header?.sendingApplication ?? ''), action: 'create', recordType: 'hl7_message', recordId: r.messageId,
      outcome: r.status === 'error' || r.status === 'rejected' ? 'failure' : 'success', details: { trigger: r.header?.trigger ?? null, status: r.status },
    }, ctx.clock);
  });
}

/** Stores a refused message with its error (nothing of it applied) and builds the AE or AR. */
async function refuse(ctx: AppContext, r: { messageId: string; receivedAt: string; text: string; reader?: Er7Reader; header?: MessageHeader; error: Hl7MessageError; replaces?: string; actor?: AuditActor }): Promise<ReceivedMessage> {
  const ackCode: AckCode = r.error.reject ? 'AR' : 'AE';
  const status: MessageStatus = r.error.reject ? 'rejected' : 'error';
  await storeRow(ctx, { ...r, status, ackCode });
  return { messageId: r.messageId, status, ackCode, ack: buildAck(ackCode, { reader: r.reader, controlId: newId(), now: ctx.clock.now() }, r.error) };
}

/**
 * Held messages of this patient or visit, tried again oldest first after a message for them was
 * applied; one that applies may free the next (an admit frees a transfer, then a discharge).
 */
export async function retryHeldMessages(ctx: AppContext, patientId: string, visitNumber: string | null): Promise<number> {
  let applied = 0;
  for (let pass = 0; pass < 20; pass++) {
    const held = await findHeldMessages(ctx.db, patientId, visitNumber);
    let progressed = false;
    for (const row of held) {
      if (await retryOne(ctx, row.id, ctx.keyring.openText(row.rawSealed), row.sendingApplication ?? '')) { applied++; progressed = true; }
    }
    if (!progressed) break;
  }
  return applied;
}

async function retryOne(ctx: AppContext, id: string, text: string, sendingApplication: string): Promise<boolean> {
  const actor = interfaceActor(sendingApplication);
  const parsed = parseAdtMessage(text, ctx.config.mrnSystem);
  try {
    await transactionWithAuditBatch(ctx.db, async (trx) => {
      const row = await trx.selectFrom('interfaceMessages').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
      if (row.status !== 'held') throw new StillHeld();
      const applied = await applyAdtMessage(trx, ctx, actor, parsed);
      if (applied.held) throw new StillHeld();
      await trx.updateTable('interfaceMessages').set({
        status: 'processed', processedAt: ctx.clock.now().toISOString(), attempts: row.attempts + 1, errorText: null,
        patientId: applied.patientId, visitNumber: applied.visitNumber,
      }).where('id', '=', id).execute();
      await recordAuditEvent(trx, { actor, action: 'update', patientId: applied.patientId, recordType: 'hl7_message', recordId: id, details: { trigger: parsed.trigger, status: 'processed', retried: true } }, ctx.clock);
    });
    return true;
  } catch (err) {
    if (err instanceof StillHeld) return false;
    // A held message that now fails for another reason stays held, visible in the monitor.
    ctx.logger.warn({ messageId: id, error: (err as Error)?.name, code: (err as { code?: unknown })?.code }, 'Held HL7 message could not be retried');
    return false;
  }
}

