import { performance } from 'node:perf_hooks';
import type { ChainVerdict } from '../src/audit/verify.js';
import { openSender, fieldOf, type Hl7Sender } from '../test/support/hl7.js';
import { ServerProcess } from './http-read.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';

export const ADT_TARGETS = { oneConnection: 1_000, fourConnections: 1_500, ackP99: 50, soakDrift: 0.1 } as const;

const stamp = (n: number) => {
  const d = new Date(Date.UTC(2026, 10, 25, 8, 0, 0) + n * 1000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
};
const FAMILIES = ['Abara', 'Bergstrom', 'Castellano', 'Dimitriou', 'Eze', 'Fairbanks', 'Gallardo', 'Haugen', 'Iwasaki', 'Jablonski', 'Kowalczyk', 'Lindgren', 'Moreau', 'Nakamura', 'Okonkwo', 'Petrakis'];
const GIVENS = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kaia', 'Lars', 'Mira', 'Nils', 'Olga', 'Pavel'];

/**
 * One synthetic ADT message: an A04 registers patient `p` (of sender `s`) with an outpatient visit;
 * an A08 updates that patient and visit. Names and birth dates differ enough that the MPI makes a
 * new record for each A04 rather than a duplicate suspicion.
 */
export function adtMessage(trigger: 'A04' | 'A08', s: number, p: number, controlId: string): string {
  const mrn = `B${s}-${p}`;
  const family = `${FAMILIES[p % 16]}${FAMILIES[Math.floor(p / 16) % 16].toLowerCase()}`;
  const given = GIVENS[Math.floor(p / 256) % 16];
  const birth = `19${String(30 + (p % 70)).padStart(2, '0')}${String(1 + (p % 12)).padStart(2, '0')}${String(1 + (Math.floor(p / 12) % 28)).padStart(2, '0')}`;
  const phone = `(555)${String(100 + s).padStart(3, '0')}-${String((p + (trigger === 'A08' ? 1 : 0)) % 10_000).padStart(4, '0')}`;
  return [
    `MSH|^~\\&|BENCH${s}|BENCHFAC|CHARTROOM|HOSP|${stamp(p)}||ADT^${trigger}^ADT_A01|${controlId}|P|2.5.1`,
    `EVN|${trigger}|${stamp(p)}`,
    `PID|1||${mrn}^^^BENCHFAC^MR||${family}^${given}^^^^^L||${birth}|${p % 2 ? 'F' : 'M'}|||${p} Harbor Lane^^Portland^ME^04101||${phone}`,
    `PV1|1|O|CLINIC^^^HOSP||||1234567893^Osei^Kwame|||MED||||1|||||V${s}-${p}^^^BENCHFAC^VN|||||||||||||||||||||||||${stamp(p)}`,
  ].join('\r');
}

interface Sent { ok: number; refused: number; latencies: number[]; started: number; ended: number; marks: number[] }

/** Sends `count` messages (or for `seconds`) over one connection, each waiting for its ACK, timing each. */
async function drive(sender: Hl7Sender, s: number, limit: { seconds?: number; count?: number }, from: number): Promise<Sent> {
  const out: Sent = { ok: 0, refused: 0, latencies: [], started: performance.now(), ended: 0, marks: [] };
  const deadline = limit.seconds ? out.started + limit.seconds * 1000 : Infinity;
  for (let k = 0; (limit.count === undefined || k < limit.count) && performance.now() < deadline; k++) {
    // A04 for a new patient, then A08 for the same one: half and half.
    const p = from + Math.floor(k / 2);
    const text = adtMessage(k % 2 ? 'A08' : 'A04', s, p, `C${s}-${from}-${k}`);
    const t = performance.now();
    const ack = await sender.send(text);
    const now = performance.now();
    out.latencies.push(now - t);
    out.marks.push(now);
    if (fieldOf(ack, 'MSA', 1) === 'AA') out.ok++;
    else out.refused++;
  }
  out.ended = performance.now();
  return out;
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function phase(port: number, connections: number, limit: { seconds?: number; count?: number }, base: number): Promise<Sent & { seconds: number }> {
  const senders = await Promise.all(Array.from({ length: connections }, () => openSender(port)));
  try {
    const runs = await Promise.all(senders.map((sender, i) => drive(sender, i + 1, limit, base)));
    const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const started = Math.min(...runs.map((r) => r.started));
    const ended = Math.max(...runs.map((r) => r.ended));
    return {
      ok: runs.reduce((n, r) => n + r.ok, 0), refused: runs.reduce((n, r) => n + r.refused, 0), latencies, started, ended,
      marks: runs.flatMap((r) => r.marks).sort((a, b) => a - b), seconds: (ended - started) / 1000,
    };
  } finally {
    await Promise.all(senders.map((s) => s.close().catch(() => undefined)));
  }
}

const ms = (n: number) => n.toFixed(1);

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 5 : 15;
  const soakCount = Number(process.env.CHARTROOM_BENCH_ADT_SOAK ?? (quick ? 10_000 : 100_000));
  const rows: Row[] = [];
  const problems: string[] = [];
  const server = new ServerProcess(dialect);
  const add = (row: Row) => {
    rows.push(row);
    printRow(row, log);
  };
  try {
    const ready = await server.ready();
    log(`server in a child process (pid ${ready.pid}), MLLP on port ${ready.hl7Port}; senders are node-hl7-client connections in this process, each waiting for every ACK (original mode)`);
    log(`messages: A04 registering a new patient with an outpatient visit, then A08 updating them, half and half; an ACK is sent only after the message's transaction is durable`);
    await phase(ready.hl7Port, 1, { count: 200 }, 900_000); // warm-up

    let base = 0;
    for (const connections of [1, 4]) {
      const r = await phase(ready.hl7Port, connections, { seconds }, (base += 100_000));
      const perSecond = r.ok / r.seconds;
      const p50 = percentile(r.latencies, 0.5);
      const p99 = percentile(r.latencies, 0.99);
      const target = connections === 1 ? ADT_TARGETS.oneConnection : ADT_TARGETS.fourConnections;
      add({
        name: `adt-ingest A04/A08 (${connections} conn${connections > 1 ? 's' : ''})`, dialect, figure: perSecond, unit: 'msg/s', target,
        note: `ACK p50 ${ms(p50)} ms, p99 ${ms(p99)} ms; ${formatNumber(r.ok)} AA, ${r.refused} other in ${r.seconds.toFixed(1)} s`,
      });
      add({
        name: `adt-ingest ACK p99 (${connections} conn${connections > 1 ? 's' : ''})`, dialect, figure: r.ok ? ADT_TARGETS.ackP99 / p99 : 0,
        unit: `x (${ADT_TARGETS.ackP99} ms / p99)`, target: 1, note: `p99 ${ms(p99)} ms, target <= ${ADT_TARGETS.ackP99} ms`,
      });
      if (r.refused) problems.push(`adt-ingest [${dialect}, ${connections} conns]: ${r.refused} messages not acknowledged AA`);
    }

    log(`soak: ${formatNumber(soakCount)} messages over 4 connections (CHARTROOM_BENCH_ADT_SOAK sets the count; the issue's soak is 1,000,000)`);
    const soak = await phase(ready.hl7Port, 4, { count: Math.ceil(soakCount / 4) }, (base += 1_000_000));
    const tenth = Math.max(1, Math.floor(soak.marks.length / 10));
    const rate = (from: number, to: number) => (to - from + 1) / ((soak.marks[to] - soak.marks[from]) / 1000 || Infinity);
    const startRate = rate(0, tenth - 1);
    const endRate = rate(soak.marks.length - tenth, soak.marks.length - 1);
    add({
      name: `adt-ingest soak end/start (${formatNumber(soak.ok + soak.refused)} msgs)`, dialect, figure: endRate / startRate, unit: 'x (last tenth / first tenth)',
      target: 1 - ADT_TARGETS.soakDrift,
      note: `first tenth ${formatNumber(startRate)} msg/s, last tenth ${formatNumber(endRate)} msg/s; overall ${formatNumber(soak.ok / soak.seconds)} msg/s, ACK p99 ${ms(percentile(soak.latencies, 0.99))} ms`,
    });
    if (soak.refused) problems.push(`adt-ingest soak [${dialect}]: ${soak.refused} messages not acknowledged AA`);

    const { messages, visits } = (await server.command('messages', 60_000)) as unknown as { messages: Record<string, number>; visits: number };
    log(`check: interface messages ${JSON.stringify(messages)}, visits ${formatNumber(visits)}`);
    const bad = (messages.error ?? 0) + (messages.rejected ?? 0) + (messages.held ?? 0);
    if (bad) problems.push(`adt-ingest [${dialect}]: ${bad} messages stored as error, rejected or held`);
    const verdict = (await server.command('verify', 300_000)).verdict as ChainVerdict;
    if (!verdict.ok) problems.push(`adt-ingest [${dialect}]: the audit chain does not verify after the load: ${verdict.problem}`);
    log(`check: audit chain ${verdict.ok ? `verifies (${formatNumber(verdict.events)} events)` : 'BROKEN'}`);
  } finally {
    await server.stopAndReport(log);
  }
  return { rows, problems };
}

export const adtIngest: Benchmark = {
  name: 'adt-ingest',
  summary: `HL7 v2 ADT A04/A08 over MLLP with durable ACKs, 1 and 4 connections, and a soak (targets ${formatNumber(ADT_TARGETS.oneConnection)} and ${formatNumber(ADT_TARGETS.fourConnections)} msg/s, ACK p99 ${ADT_TARGETS.ackP99} ms)`,
  run,
};
