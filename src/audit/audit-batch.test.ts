import { describe, expect, it } from 'vitest';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { DIALECTS, useTestChartroom } from '../../test/support/chartroom.js';
import { recordAuditEvent, recordAuditEvents, transactionWithAuditBatch } from './trail.js';
import { verifyAuditChain } from './verify.js';
import type { AuditEntry } from './actions.js';
import { ManualClock } from '../platform/clock.js';

const interfaceCreate: AuditEntry = { actor: { type: 'system', name: 'hl7:ADT' }, action: 'create', patientId: 'p-1', recordType: 'patient', recordId: 'p-1' };

for (const dialect of DIALECTS) {
  describe(`${dialect}: audit events batched per transaction`, () => {
    const chartroom = useTestChartroom(dialect);

    it('appends the events of one transaction together, in the order and at the time they were recorded', async () => {
      const ctx = chartroom();
      const before = await countEvents(ctx);
      const clock = new ManualClock(new Date('2026-11-25T08:00:00.000Z'));
      await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, { ...interfaceCreate, recordId: 'before' }, clock));
      await transactionWithAuditBatch(ctx.db, async (trx) => {
        await recordAuditEvent(trx, { ...interfaceCreate, recordId: 'first' }, clock);
        clock.advance(5);
        const entry: AuditEntry = { ...interfaceCreate, recordType: 'encounter', recordId: 'second', details: { event: 'register' } };
        await recordAuditEvents(trx, [entry], clock);
        entry.details!.event = 'changed after recording';
        // Not yet in the chain: it joins just before commit.
        expect(await trx.selectFrom('auditEvents').select('seq').where('recordId', '=', 'first').executeTakeFirst()).toBeUndefined();
        clock.advance(5);
        await recordAuditEvent(trx, { ...interfaceCreate, recordType: 'hl7_message', recordId: 'third' }, clock);
      });
      const events = (await ctx.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute()).slice(before);
      expect(events.map((e) => [e.recordId, e.occurredAt])).toEqual([
        ['before', '2026-11-25T08:00:00.000Z'],
        ['first', '2026-11-25T08:00:00.000Z'],
        ['second', '2026-11-25T08:00:00.005Z'],
        ['third', '2026-11-25T08:00:00.010Z'],
      ]);
      expect(events[2].details).toBe(JSON.stringify({ event: 'register' }));
      const head = await ctx.db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow();
      expect(head).toMatchObject({ seq: events[3].seq, hash: events[3].hash });
      expect(await verifyAuditChain(ctx.db)).toMatchObject({ ok: true, events: before + 4 });
    });

    it('writes none of the events when the work rolls back', async () => {
      const ctx = chartroom();
      const before = await countEvents(ctx);
      await expect(transactionWithAuditBatch(ctx.db, async (trx) => {
        await recordAuditEvent(trx, interfaceCreate, ctx.clock);
        throw new Error('the work failed');
      })).rejects.toThrow('the work failed');
      expect(await countEvents(ctx)).toBe(before);
      // Transactions opened the ordinary way append at once, as before.
      await ctx.db.transaction().execute(async (trx) => {
        await recordAuditEvent(trx, interfaceCreate, ctx.clock);
        expect(await countEvents({ db: trx })).toBe(before + 1);
      });
    });

    it('keeps one unbroken chain when batched and unbatched writers run at once, with more events than one fixed insert holds', async () => {
      const ctx = chartroom();
      const before = await countEvents(ctx);
      await Promise.all(Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? transactionWithAuditBatch(ctx.db, async (trx) => {
            for (let k = 0; k < (i % 12) + 1; k++) await recordAuditEvent(trx, { ...interfaceCreate, recordId: `b-${i}-${k}` }, ctx.clock);
          })
          : ctx.db.transaction().execute((trx) => recordAuditEvent(trx, { ...interfaceCreate, recordId: `u-${i}` }, ctx.clock)),
      ));
      const verdict = await verifyAuditChain(ctx.db);
      expect(verdict.ok).toBe(true);
      const expected = Array.from({ length: 30 }, (_, i) => (i % 2 ? (i % 12) + 1 : 1)).reduce((a, b) => a + b, 0);
      expect(verdict.events).toBe(before + expected);
    });
  });
}

async function countEvents(ctx: { db: Kysely<DB> | Transaction<DB> }): Promise<number> {
  const { n } = await ctx.db.selectFrom('auditEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
