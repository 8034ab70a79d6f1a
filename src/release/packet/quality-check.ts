import type { AppContext } from '../../context.js';
import { actorOf, hasPermission, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { conflict, forbidden, invalid } from '../../platform/errors.js';
import { changeRequest, moveStatus } from '../requests/index.js';
import { currentPacketRow, toPacketView, type PacketView } from './packet-record.js';

export type QualityCheck = { decision: 'confirm'; confirmedPages: number[] } | { decision: 'reject'; reason: string };

/** Whether the confirmed pages are exactly 1..N, each once. */
export function pagesAllConfirmed(confirmed: readonly number[], pageCount: number): boolean {
  const set = new Set(confirmed);
  return confirmed.length === pageCount && set.size === pageCount && [...set].every((p) => Number.isInteger(p) && p >= 1 && p <= pageCount);
}

/**
 * The second person's check before release: a reviewer (release.review) who did not build the packet
 * confirms that every page belongs to the patient, or rejects it with a reason, which sends the
 * request back to in process. Recorded on the packet and audited.
 */
export async function checkPacket(ctx: AppContext, principal: Principal, requestId: string, check: QualityCheck): Promise<PacketView> {
  if (!hasPermission(principal, 'release.review')) throw forbidden('The quality check is for a reviewer (release.review).');
  return changeRequest(ctx, principal, requestId, `packet:quality-check:${check.decision}`, async (c) => {
    if (c.row.status !== 'quality_check') throw conflict('release.transition', 'The request is not in quality check.');
    const row = await currentPacketRow(c.trx, requestId);
    if (row.status !== 'built') throw conflict('release.packet-checked', 'This packet has been checked already.');
    if (row.builtBy === principal.id) throw forbidden('The quality check is for a second person, not the one who built the packet.');
    const now = ctx.clock.now().toISOString();
    let status: string;
    let note: string | null = null;
    if (check.decision === 'confirm') {
      if (!pagesAllConfirmed(check.confirmedPages, row.pageCount)) {
        throw invalid('release.pages-unconfirmed', `Confirm every page, 1 to ${row.pageCount}, belongs to the patient.`, [{ field: 'confirmedPages', message: `Must be exactly pages 1 to ${row.pageCount}.` }]);
      }
      status = 'confirmed';
    } else {
      status = 'rejected';
      note = check.reason;
      await moveStatus(c, ctx, principal, 'in_process', `Packet version ${row.version} rejected at quality check: ${check.reason}`);
    }
    await c.trx.updateTable('releasePackets').set({ status, checkedBy: principal.id, checkedByName: principal.name, checkedAt: now, checkNote: note }).where('id', '=', row.id).execute();
    await recordAuditEvent(c.trx, {
      actor: actorOf(principal), action: 'update', patientId: c.row.patientId, recordType: 'release_packet', recordId: row.id, details: { qualityCheck: status },
    }, ctx.clock);
    return toPacketView({ ...row, status, checkedBy: principal.id, checkedByName: principal.name, checkedAt: now, checkNote: note });
  });
}
