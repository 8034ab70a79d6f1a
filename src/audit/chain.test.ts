import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEncoding, hashAuditEvent, type ChainedFields } from './chain.js';

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u0000', '\u007f', '\u2028', '=cmd|', '</script>'));
const maybe = (a: fc.Arbitrary<string>) => fc.option(a, { nil: null });

const event: fc.Arbitrary<ChainedFields> = fc.record({
  seq: fc.integer({ min: 1, max: 2 ** 48 }),
  id: fc.uuid(),
  occurredAt: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  actorType: fc.constantFrom('user', 'api_client', 'system', 'anonymous'),
  actorId: maybe(text), actorName: maybe(text), actorRole: maybe(text), ip: maybe(text), userAgent: maybe(text),
  action: text, patientId: maybe(text), recordType: maybe(text), recordId: maybe(text),
  outcome: fc.constantFrom('success', 'failure'), reason: maybe(text), emergency: fc.constantFrom(0, 1),
  details: maybe(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())).map((d) => JSON.stringify(d))),
  prevHash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
});

describe('the canonical encoding of an audit event', () => {
  it('changes the hash when any field changes', () => {
    fc.assert(
      fc.property(event, fc.constantFrom<keyof ChainedFields>('actorName', 'action', 'patientId', 'recordId', 'reason', 'details', 'prevHash', 'occurredAt'), (e, field) => {
        const edited = { ...e, [field]: `${String(e[field] ?? '')}x` };
        expect(hashAuditEvent(edited)).not.toBe(hashAuditEvent(e));
      }),
    );
  });

  it('is what SQLite json_array produces, so the fast verify agrees with the JavaScript one', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE e (seq INTEGER, id TEXT, occurred_at TEXT, actor_type TEXT, actor_id TEXT, actor_name TEXT, actor_role TEXT,
      ip TEXT, user_agent TEXT, action TEXT, patient_id TEXT, record_type TEXT, record_id TEXT, outcome TEXT, reason TEXT,
      emergency INTEGER, details TEXT, prev_hash TEXT)`);
    const insert = db.prepare('INSERT INTO e VALUES (' + Array(18).fill('?').join(',') + ')');
    const encode = db.prepare(`SELECT json_array(seq, id, occurred_at, actor_type, actor_id, actor_name, actor_role, ip, user_agent,
      action, patient_id, record_type, record_id, outcome, reason, emergency, details, prev_hash) AS enc FROM e`).pluck();
    let compared = 0;
    fc.assert(
      fc.property(event, (e) => {
        db.exec('DELETE FROM e');
        insert.run(e.seq, e.id, e.occurredAt, e.actorType, e.actorId, e.actorName, e.actorRole, e.ip, e.userAgent, e.action,
          e.patientId, e.recordType, e.recordId, e.outcome, e.reason, e.emergency, e.details, e.prevHash);
        const fromSqlite = encode.get() as string;
        // Lone surrogates cannot be stored as UTF-8 text: SQLite keeps U+FFFD there, so compare what was stored.
        const stored = db.prepare('SELECT * FROM e').get() as Record<string, unknown>;
        const roundTrips = [stored.actor_id, stored.actor_name, stored.actor_role, stored.ip, stored.user_agent, stored.action, stored.patient_id,
          stored.record_type, stored.record_id, stored.reason, stored.details].join('\u0001') ===
          [e.actorId, e.actorName, e.actorRole, e.ip, e.userAgent, e.action, e.patientId, e.recordType, e.recordId, e.reason, e.details].join('\u0001');
        if (!roundTrips) return;
        compared += 1;
        expect(fromSqlite).toBe(canonicalEncoding(e));
      }),
      { numRuns: 500 },
    );
    db.close();
    expect(compared).toBeGreaterThan(200);
  });
});
