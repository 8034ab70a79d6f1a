import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { GENESIS_HASH, hashAuditEvent } from './chain.js';

const require = createRequire(import.meta.url);

export type ChainVerdict =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAt: { seq: number; id: string | null }; problem: string };

export interface VerifyOptions {
  /** On SQLite, the database file: the walk then reads it directly, much faster. */
  sqlitePath?: string;
  batchSize?: number;
  /** Split the SQLite walk between two threads above this many events (default 100,000). */
  splitAbove?: number;
}

interface Walk {
  expectedSeq: number;
  prevHash: string;
  checked: number;
}

type Step = { seq: number; id: string; prevHash: string; hash: string; computed: () => string };

/** Checks one event against the walk so far; answers the problem, or null and advances the walk. */
function step(walk: Walk, e: Step): Extract<ChainVerdict, { ok: false }> | null {
  const broken = (problem: string) => ({ ok: false as const, events: walk.checked, brokenAt: { seq: e.seq, id: e.id }, problem });
  if (e.seq !== walk.expectedSeq) return broken(`expected event ${walk.expectedSeq} next but found ${e.seq}: events are missing`);
  if (e.prevHash !== walk.prevHash) return broken('its link to the previous event is broken');
  if (e.computed() !== e.hash) return broken('its content does not match its hash (edited)');
  walk.prevHash = e.hash;
  walk.expectedSeq += 1;
  walk.checked += 1;
  return null;
}

/**
 * Walks the whole audit chain in order and reports the first event that does not verify: an edited
 * event (its hash no longer matches), a deleted one (a gap in the sequence or a broken link), an
 * inserted one (a link that points elsewhere), or a chain cut short (the head names a later event).
 */
export async function verifyAuditChain(db: Kysely<DB>, options: VerifyOptions = {}): Promise<ChainVerdict> {
  // Read the head first and walk only up to it: events the head names were committed with it, and
  // events appended while the walk runs (a live server) are simply newer than this check.
  const head = options.sqlitePath ? readCommittedHead(options.sqlitePath) : await db.selectFrom('auditChainHead').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const upTo = head?.seq ?? 0;
  const walk: Walk = { expectedSeq: 1, prevHash: GENESIS_HASH, checked: 0 };
  const broken = options.sqlitePath
    ? await walkSqliteFile(db, options.sqlitePath, walk, upTo, options.splitAbove ?? 100_000)
    : await walkWithKysely(db, walk, upTo, options.batchSize ?? 20_000);
  if (broken) return broken;
  if (!head || head.seq !== walk.checked || head.hash !== walk.prevHash) {
    return {
      ok: false,
      events: walk.checked,
      brokenAt: { seq: head?.seq ?? walk.checked + 1, id: null },
      problem: `the chain head records event ${head?.seq ?? '?'} but the trail ends at ${walk.checked}: events were removed or the head was changed`,
    };
  }
  return { ok: true, events: walk.checked, lastHash: walk.prevHash };
}

async function walkWithKysely(db: Kysely<DB>, walk: Walk, upTo: number, batchSize: number) {
  for (;;) {
    const batch = await db
      .selectFrom('auditEvents')
      .selectAll()
      .where('seq', '>=', walk.expectedSeq)
      .where('seq', '<=', upTo)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const e of batch) {
      const problem = step(walk, { ...e, computed: () => hashAuditEvent(e) });
      if (problem) return problem;
    }
    if (batch.length < batchSize) return null;
  }
}

/**
 * The SQLite fast path: SQLite builds each event's canonical encoding (json_array gives the same
 * text as JSON.stringify of the same array for the values we store), so JavaScript only hashes one
 * string per event, and the trail is split between two worker threads, each walking half with its
 * own read-only connection. Where a stored hash disagrees, the event is encoded again in JavaScript
 * before it is called broken; if that one matches, the whole trail is walked the slow way instead,
 * so an encoding difference can never pass for tampering or hide it.
 */
async function walkSqliteFile(db: Kysely<DB>, path: string, walk: Walk, upTo: number, splitAbove: number): Promise<Extract<ChainVerdict, { ok: false }> | null> {
  const bounds = await db
    .selectFrom('auditEvents')
    .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
    .where('seq', '<=', upTo)
    .executeTakeFirstOrThrow();
  if (bounds.first == null || bounds.last == null) return null;
  const first = Number(bounds.first);
  const last = Number(bounds.last);
  const parts = last - first >= splitAbove ? 2 : 1;
  const size = Math.ceil((last - first + 1) / parts);
  const ranges = Array.from({ length: parts }, (_, i) => ({ from: first + i * size, to: Math.min(last, first + (i + 1) * size - 1) }));
  const results = await Promise.all(ranges.map((r) => walkRangeInWorker(path, r.from, r.to)));

  // Join the ranges: each must start where the previous one ended, as if one walk had read them all.
  for (const part of results) {
    if (part.count > 0 || part.problem) {
      const before = { ...walk };
      const head = { seq: part.firstSeq, id: part.firstId, prevHash: part.firstPrevHash };
      const problem = step(walk, { ...head, hash: 'unchecked', computed: () => 'unchecked' });
      if (problem) return problem;
      // The first event sits where it should; take the rest of the range's walk as the worker saw it.
      if (part.count > 0) Object.assign(walk, { checked: before.checked + part.count, expectedSeq: part.lastSeq + 1, prevHash: part.lastHash });
      else Object.assign(walk, before);
    }
    if (part.problem) {
      const { seq, id, kind } = part.problem;
      if (kind === 'gap') return { ok: false, events: walk.checked, brokenAt: { seq, id }, problem: `expected event ${walk.expectedSeq} next but found ${seq}: events are missing` };
      if (kind === 'link') return { ok: false, events: walk.checked, brokenAt: { seq, id }, problem: 'its link to the previous event is broken' };
      const row = await db.selectFrom('auditEvents').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
      if (hashAuditEvent(row) !== row.hash) return { ok: false, events: walk.checked, brokenAt: { seq, id }, problem: 'its content does not match its hash (edited)' };
      // JavaScript agrees with the stored hash where SQLite's encoding did not: walk everything in JavaScript.
      Object.assign(walk, { expectedSeq: 1, prevHash: GENESIS_HASH, checked: 0 });
      return walkWithKysely(db, walk, upTo, 20_000);
    }
  }
  return null;
}

/** The head as committed on disk (the server's own connection may hold a batch not yet durable). */
function readCommittedHead(path: string): { seq: number; hash: string } | undefined {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare('SELECT seq, hash FROM audit_chain_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
  } finally {
    sqlite.close();
  }
}

/** What a worker saw of its range: its ends, how many events verified, and the first problem. */
interface RangeResult {
  count: number;
  firstSeq: number;
  firstId: string;
  firstPrevHash: string;
  lastSeq: number;
  lastHash: string;
  problem: { seq: number; id: string; kind: 'gap' | 'link' | 'mismatch' } | null;
}

// Plain JavaScript run with `eval`, so it works the same from the TypeScript sources and the build.
// The range's first event is counted as verified only if its hash matches; its link is checked by the caller.
const RANGE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
const rows = db.prepare(\`SELECT seq, id, prev_hash, hash, json_array(seq, id, occurred_at, actor_type, actor_id, actor_name,
  actor_role, ip, user_agent, action, patient_id, record_type, record_id, outcome, reason, emergency, details, prev_hash)
  FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq\`).raw();
const out = { count: 0, firstSeq: 0, firstId: '', firstPrevHash: '', lastSeq: 0, lastHash: '', problem: null };
let expected = workerData.from, prev = null;
for (const [seq, id, prevHash, stored, encoded] of rows.iterate(workerData.from, workerData.to)) {
  if (out.count === 0 && !out.problem) { out.firstSeq = seq; out.firstId = id; out.firstPrevHash = prevHash; }
  if (seq !== expected) { out.problem = { seq, id, kind: 'gap' }; break; }
  if (prev !== null && prevHash !== prev) { out.problem = { seq, id, kind: 'link' }; break; }
  if (hash('sha256', encoded, 'hex') !== stored) { out.problem = { seq, id, kind: 'mismatch' }; break; }
  out.count++; out.lastSeq = seq; out.lastHash = stored; prev = stored; expected = seq + 1;
}
db.close();
parentPort.postMessage(out);
`;

function walkRangeInWorker(path: string, from: number, to: number): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RANGE_WORKER, { eval: true, workerData: { path, from, to, betterSqlite3: require.resolve('better-sqlite3') } });
    worker.once('message', (m: RangeResult) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The audit verify worker stopped with code ${code}.`));
    });
  });
}
