import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, useTestChartroom, withPgClient, type TestChartroom } from '../../test/support/chartroom.js';
import { recordAuditEvent, recordAuditEvents } from './trail.js';
import { verifyAuditChain as verifyWithKysely } from './verify.js';
import { GENESIS_HASH, hashAuditEvent } from './chain.js';
import type { AuditEntry } from './actions.js';

const clerkRead: AuditEntry = {
  actor: { type: 'user', id: 'u-1', name: 'jdoe', role: 'records_clerk', ip: '10.0.0.7', userAgent: 'test' },
  action: 'read',
  patientId: 'p-1',
  recordType: 'patient',
  recordId: 'p-1',
};

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit trail`, () => {
    const chartroom = useTestChartroom(dialect);

    it('chains each event to the one before it', async () => {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, [clerkRead, { ...clerkRead, action: 'update' }], ctx.clock));
      const events = await ctx.db.selectFrom('auditEvents').selectAll().orderBy('seq').execute();
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect(events[0].prevHash).toBe(GENESIS_HASH);
      expect(events[1].prevHash).toBe(events[0].hash);
      expect(hashAuditEvent(events[1])).toBe(events[1].hash);
      expect(events[0]).toMatchObject({ actorName: 'jdoe', actorRole: 'records_clerk', ip: '10.0.0.7', action: 'read', patientId: 'p-1', outcome: 'success', emergency: 0 });
      expect(await verifyAuditChain(ctx.db, ctx)).toMatchObject({ ok: true, events: 2 });
    });

    it('writes nothing when the work it describes rolls back', async () => {
      const ctx = chartroom();
      const before = await countEvents(ctx);
      await expect(
        ctx.db.transaction().execute(async (trx) => {
          await recordAuditEvent(trx, clerkRead, ctx.clock);
          throw new Error('the work failed');
        }),
      ).rejects.toThrow('the work failed');
      expect(await countEvents(ctx)).toBe(before);
      expect((await verifyAuditChain(ctx.db, ctx)).ok).toBe(true);
    });

    it('refuses to record an event outside a transaction', async () => {
      const ctx = chartroom();
      await expect(recordAuditEvent(ctx.db as never, clerkRead, ctx.clock)).rejects.toThrow(/inside a transaction/);
    });

    it('keeps one unbroken chain under many concurrent writers', async () => {
      const ctx = chartroom();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          ctx.db.transaction().execute((trx) => recordAuditEvent(trx, { ...clerkRead, recordId: `r-${i}` }, ctx.clock)),
        ),
      );
      const verdict = await verifyAuditChain(ctx.db, ctx);
      expect(verdict).toMatchObject({ ok: true });
      expect(verdict.events).toBe(await countEvents(ctx));
    });

    it('refuses UPDATE and DELETE on audit events in the database itself', async () => {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, clerkRead, ctx.clock));
      await expect(ctx.db.updateTable('auditEvents').set({ actorName: 'someone-else' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
      await expect(ctx.db.deleteFrom('auditEvents').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
      const first = await ctx.db.selectFrom('auditEvents').select('actorName').where('seq', '=', 1).executeTakeFirstOrThrow();
      expect(first.actorName).toBe('jdoe');
    });
  });

  describe(`${dialect}: audit verify finds tampering`, () => {
    const chartroom = useTestChartroom(dialect);

    async function seed(n: number) {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) =>
        recordAuditEvents(trx, Array.from({ length: n }, (_, i) => ({ ...clerkRead, recordId: `r-${i}` })), ctx.clock),
      );
    }

    it('names the first edited event', async () => {
      await seed(50);
      await tamper(chartroom(), `UPDATE audit_events SET actor_name = 'nobody' WHERE seq = 17`);
      const verdict = await verifyAuditChain(chartroom().db, chartroom());
      expect(verdict).toMatchObject({ ok: false, brokenAt: { seq: 17 } });
      if (!verdict.ok) expect(verdict.problem).toMatch(/edited/);
    });
  });

  describe(`${dialect}: audit verify finds deleted and inserted events`, () => {
    const chartroom = useTestChartroom(dialect);

    it('names the gap where an event was deleted, and an event forged into the chain', async () => {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) =>
        recordAuditEvents(trx, Array.from({ length: 30 }, (_, i) => ({ ...clerkRead, recordId: `r-${i}` })), ctx.clock),
      );
      await tamper(ctx, `DELETE FROM audit_events WHERE seq = 12`);
      expect(await verifyAuditChain(ctx.db, ctx)).toMatchObject({ ok: false, brokenAt: { seq: 13 } });

      // Re-insert a forged event 12 with a self-consistent hash: its link to event 11 is right, but event 13 no longer links to it.
      const e11 = await ctx.db.selectFrom('auditEvents').selectAll().where('seq', '=', 11).executeTakeFirstOrThrow();
      const forged = { ...e11, seq: 12, id: 'forged-12', actorName: 'intruder', prevHash: e11.hash };
      await ctx.db.insertInto('auditEvents').values({ ...forged, hash: hashAuditEvent(forged) }).execute();
      expect(await verifyAuditChain(ctx.db, ctx)).toMatchObject({ ok: false, brokenAt: { seq: 13 } });
    });

  });

  describe(`${dialect}: audit verify finds a trail cut short`, () => {
    const chartroom = useTestChartroom(dialect);

    it('notices events cut from the end of the trail', async () => {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, [clerkRead, clerkRead, clerkRead], ctx.clock));
      const last = await ctx.db.selectFrom('auditEvents').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirstOrThrow();
      await tamper(ctx, `DELETE FROM audit_events WHERE seq = ${last.max}`);
      const verdict = await verifyAuditChain(ctx.db, ctx);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.problem).toMatch(/chain head/);
    });
  });
}

/** Runs SQL with the append-only triggers switched off, as an attacker with database access could. */
async function tamper(ctx: TestChartroom, statement: string) {
  if (ctx.dialect === 'postgres') {
    await withPgClient(async (c) => {
      await c.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await c.query(statement);
      await c.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    }, ctx.schema);
  } else {
    await sql.raw('DROP TRIGGER IF EXISTS audit_events_no_update').execute(ctx.db);
    await sql.raw('DROP TRIGGER IF EXISTS audit_events_no_delete').execute(ctx.db);
    await sql.raw(statement).execute(ctx.db);
  }
}

/** Verifies both ways the trail can be walked (on SQLite: the direct file walk too) and checks they agree. */
async function verifyAuditChain(db: import('kysely').Kysely<import('../schema.js').DB>, ctx?: { sqlitePath?: string }) {
  const generic = await verifyWithKysely(db);
  const path = ctx?.sqlitePath;
  if (path) {
    expect(await verifyWithKysely(db, { sqlitePath: path })).toEqual(generic);
    expect(await verifyWithKysely(db, { sqlitePath: path, splitAbove: 0 })).toEqual(generic);
  }
  return generic;
}

async function countEvents(ctx: { db: import('kysely').Kysely<import('../schema.js').DB> }) {
  const { n } = await ctx.db.selectFrom('auditEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: audit verify on a live system`, () => {
    const chartroom = useTestChartroom(dialect);

    it('does not cry tampering while events are being appended', async () => {
      const ctx = chartroom();
      await ctx.db.transaction().execute((trx) => recordAuditEvents(trx, Array.from({ length: 2000 }, () => clerkRead), ctx.clock));
      let writing = true;
      const writer = (async () => {
        while (writing) await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, clerkRead, ctx.clock));
      })();
      try {
        for (let i = 0; i < 5; i++) {
          expect(await verifyWithKysely(ctx.db)).toMatchObject({ ok: true });
          if (ctx.sqlitePath) expect(await verifyWithKysely(ctx.db, { sqlitePath: ctx.sqlitePath, splitAbove: 500 })).toMatchObject({ ok: true });
        }
      } finally {
        writing = false;
        await writer;
      }
    });
  });
}
