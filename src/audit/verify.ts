import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { GENESIS_HASH, hashAuditEvent } from './chain.js';

export type ChainVerdict =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAt: { seq: number; id: string | null }; problem: string };

/**
 * Walks the whole audit chain in order and reports the first event that does not verify: an edited
 * event (its hash no longer matches), a deleted one (a gap in the sequence or a broken link), an
 * inserted one (a link that points elsewhere), or a chain cut short (the head names a later event).
 */
export async function verifyAuditChain(db: Kysely<DB>, batchSize = 20_000): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const batch = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const e of batch) {
      const at = { seq: e.seq, id: e.id };
      if (e.seq !== expectedSeq) {
        return { ok: false, events: checked, brokenAt: at, problem: `expected event ${expectedSeq} next but found ${e.seq}: events are missing` };
      }
      if (e.prevHash !== prevHash) {
        return { ok: false, events: checked, brokenAt: at, problem: 'its link to the previous event is broken' };
      }
      if (hashAuditEvent(e) !== e.hash) {
        return { ok: false, events: checked, brokenAt: at, problem: 'its content does not match its hash (edited)' };
      }
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (batch.length < batchSize) break;
  }
  const head = await db.selectFrom('auditChainHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head || head.seq !== checked || head.hash !== prevHash) {
    return {
      ok: false,
      events: checked,
      brokenAt: { seq: head?.seq ?? checked + 1, id: null },
      problem: `the chain head records event ${head?.seq ?? '?'} but the trail ends at ${checked}: events were removed or the head was changed`,
    };
  }
  return { ok: true, events: checked, lastHash: prevHash };
}
