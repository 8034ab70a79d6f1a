/**
 * Patient search over HTTP on a filled index: the JSON API's GET /api/patients by name, by family
 * name and birth date, by a family-name prefix and by MRN, and FHIR Patient/$match, as an API client
 * with role records_clerk. The server runs in a child process with its index filled
 * (bench/serve-patients-for-bench.ts); autocannon runs here and varies the query on every request
 * from a sample of the indexed patients. Latency targets are read with one connection, throughput
 * with eight. Every search is an audited read, so each one also commits its audit events.
 */
import { loadavg } from 'node:os';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import {
  fetchToken,
  fillRow,
  filledIndexServer,
  ms,
  parkIndexServer,
  profiled,
  runLoad,
  statusSummary,
  type LoadRun,
} from './serve-patients-for-bench.js';
import { ISSUE_INDEX_SIZE, indexSize, type SampledPatient } from './synthetic-index.js';

// run.ts registers both patient-index benchmarks with one import from here.
export { patientCreate } from './patient-create.js';

export const SEARCH_TARGETS = { p50: 3, p99: 10, perSecond: 1_500, mrnP99: 5, matchP50: 10, matchP99: 25 } as const;

type Query = { kind: 'name' | 'family+birthDate' | 'prefix' | 'mrn'; path: (p: SampledPatient, i: number) => string };

const q = (params: Record<string, string>) => `/api/patients?${new URLSearchParams(params).toString()}`;
const QUERIES: Query[] = [
  { kind: 'name', path: (p) => q({ family: p.family, given: p.given }) },
  { kind: 'family+birthDate', path: (p) => q({ family: p.family, birthDate: p.birthDate }) },
  // What a clerk has typed after three or four letters of the family name.
  { kind: 'prefix', path: (p, i) => q({ family: p.family.slice(0, Math.min(p.family.length, 3 + (i % 2))) }) },
  { kind: 'mrn', path: (p) => q({ mrn: p.mrn }) },
];

/** A $match request as an interface sends it: the patient's name, birth date, sex, phone and home address. */
export function matchParameters(p: SampledPatient): string {
  const patient = {
    resourceType: 'Patient',
    name: [{ family: p.family, given: [p.given, ...(p.middle ? [p.middle] : [])] }],
    gender: p.sex,
    birthDate: p.birthDate,
    ...(p.phone ? { telecom: [{ system: 'phone', value: p.phone }] } : {}),
    ...(p.line1 && p.city ? { address: [{ line: [p.line1], city: p.city, state: p.state ?? undefined, postalCode: p.postalCode ?? undefined }] } : {}),
  };
  return JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: patient }, { name: 'count', valueInteger: 5 }] });
}

const nonOk = (run: LoadRun) => Object.entries(run.byStatus).filter(([code]) => !code.startsWith('2')).reduce((s, [, n]) => s + n, 0);

/** Walks the sample from a different place each run, so no two runs send the same sequence. */
function cycle<T>(items: T[], start: number): () => { item: T; i: number } {
  let i = start;
  return () => {
    const n = i++;
    return { item: items[n % items.length], i: n };
  };
}

/** Non-timed: one request per kind answers 200 and lists the sampled patient. */
async function probe(url: string, token: string, sample: SampledPatient[]): Promise<string[]> {
  const failures: string[] = [];
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  for (const [n, p] of sample.filter((s) => !s.restricted).slice(0, 5).entries()) {
    for (const query of QUERIES) {
      const response = await fetch(`${url}${query.path(p, n)}&limit=100`, { headers, signal: AbortSignal.timeout(15_000) });
      const body = (await response.json()) as { results?: { mrn: string }[] };
      // A prefix shows the first 25 of many: the patient need not be among them.
      if (response.status !== 200) failures.push(`${query.kind} answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
      else if (query.kind !== 'prefix' && !body.results?.some((r) => r.mrn === p.mrn)) failures.push(`${query.kind} search did not list the sampled patient ${p.mrn}`);
    }
    const match = await fetch(`${url}/fhir/R4/Patient/$match`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/fhir+json' },
      body: matchParameters(p),
      signal: AbortSignal.timeout(15_000),
    });
    const bundle = (await match.json()) as { entry?: { resource?: { identifier?: { value?: string }[] } }[] };
    if (match.status !== 200) failures.push(`$match answered ${match.status}: ${JSON.stringify(bundle).slice(0, 200)}`);
    else if (!bundle.entry?.some((e) => e.resource?.identifier?.some((i) => i.value === p.mrn))) failures.push(`$match did not list the sampled patient ${p.mrn}`);
  }
  return failures;
}

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 5 : 10;
  const patients = indexSize(quick);
  const rows: Row[] = [];
  const problems: string[] = [];
  const add = (row: Row) => {
    rows.push(row);
    printRow(row, log);
  };
  log(`filling an index of ${formatNumber(patients)} synthetic patients${patients < ISSUE_INDEX_SIZE ? ` (the issue's targets are for ${formatNumber(ISSUE_INDEX_SIZE)}: ${quick ? '--quick' : 'the largest that fits the run'})` : ''}`);
  const { server, reused } = await filledIndexServer(dialect, patients, log);
  let keep = false;
  try {
    const ready = server.ready!;
    log(`server in a child process (pid ${ready.pid}) at ${ready.url}; autocannon runs in this process - the two share the machine's cores`);
    if (!reused) add(fillRow(dialect, ready));
    const token = await fetchToken(ready.url, ready.clientId, ready.clientSecret);
    const failures = await probe(ready.url, token, ready.sample);
    if (failures.length) problems.push(`patient-search [${dialect}]: probes failed: ${failures.slice(0, 3).join('; ')}`);
    log(`check: 5 sampled patients, each looked up by every kind of search and by $match: ${failures.length ? `${failures.length} failed` : 'all answered 200 and listed the patient'}`);

    const sample = ready.sample;
    let start = 0;
    // Every search lists at least the patient it was made from (a prefix at least one), each an audited read.
    const check = (label: string, run: LoadRun, auditAdded: number) => {
      const non2xx = nonOk(run);
      if (non2xx > 0) problems.push(`patient-search [${dialect}, ${label}]: ${non2xx} non-2xx responses (${statusSummary(run)})`);
      if (run.errors > 0) problems.push(`patient-search [${dialect}, ${label}]: ${run.errors} connection errors (${run.timeouts} timeouts)`);
      if (run.ok === 0) problems.push(`patient-search [${dialect}, ${label}]: no 2xx responses at all`);
      if (auditAdded < run.ok) problems.push(`patient-search [${dialect}, ${label}]: ${run.ok} searches answered but only ${auditAdded} audit events were added`);
    };
    const load = async (label: string, connections: number, next: () => { method?: string; path: string; body?: string; headers?: Record<string, string> }) => {
      const before = await server.settledSeq();
      const run = await profiled(server, `${dialect}-${label}-${connections}`, log, () => runLoad({ url: ready.url, token, connections, seconds, next }));
      const after = await server.settledSeq();
      log(`  ${label}, ${connections} conn${connections > 1 ? 's' : ''}: ${formatNumber(run.ok / run.seconds)}/s, p50 ${ms(run.p50)} ms, p90 ${ms(run.p90)} ms, p99 ${ms(run.p99)} ms, max ${ms(run.max)} ms; status ${statusSummary(run)}; audit +${formatNumber(after - before)}; load ${loadavg()[0].toFixed(1)}`);
      check(`${label}, ${connections} conns`, run, after - before);
      return run;
    };
    const latencyRow = (label: string, which: 'p50' | 'p99', run: LoadRun, targetMs: number): Row => ({
      name: `patient-search ${label} ${which} (1 conn)`,
      dialect,
      // No answer at all is no latency to meet a target with.
      figure: run.ok > 0 ? targetMs / run[which] : 0,
      unit: `x (${targetMs} ms / ${which})`,
      target: 1,
      note: `${which} ${ms(run[which])} ms, target <= ${targetMs} ms; p50 ${ms(run.p50)}, p99 ${ms(run.p99)} ms; ${formatNumber(run.ok)} searches in ${run.seconds.toFixed(0)} s`,
    });
    log(`latency rows: figure = target / measured, so 1 or more meets (the table reads every target as a floor)`);
    log(`warm-up: ${quick ? 1 : 2} s of mixed searches, 8 connections`);
    {
      const next = cycle(sample, (start += 997));
      await runLoad({ url: ready.url, token, connections: 8, seconds: quick ? 1 : 2, next: () => { const { item, i } = next(); return { method: 'GET', path: QUERIES[i % QUERIES.length].path(item, i) }; } });
    }

    for (const query of QUERIES) {
      const label = query.kind === 'mrn' ? 'MRN' : query.kind;
      const pathOf = (connections: number) => {
        const next = cycle(sample, (start += 997 + connections));
        return () => { const { item, i } = next(); return { method: 'GET', path: query.path(item, i) }; };
      };
      const one = await load(label, 1, pathOf(1));
      if (query.kind === 'mrn') {
        add(latencyRow(label, 'p99', one, SEARCH_TARGETS.mrnP99));
        continue;
      }
      add(latencyRow(label, 'p50', one, SEARCH_TARGETS.p50));
      add(latencyRow(label, 'p99', one, SEARCH_TARGETS.p99));
      const eight = await load(label, 8, pathOf(8));
      add({
        name: `patient-search ${label} (8 conns)`,
        dialect,
        figure: eight.ok / eight.seconds,
        unit: 'searches/s',
        target: SEARCH_TARGETS.perSecond,
        note: `p50 ${ms(eight.p50)} ms, p99 ${ms(eight.p99)} ms; ${formatNumber(eight.ok)} searches in ${eight.seconds.toFixed(0)} s, non-2xx ${nonOk(eight)}`,
      });
    }

    {
      const next = cycle(sample, (start += 991));
      const match = await load('$match', 1, () => ({
        method: 'POST',
        path: '/fhir/R4/Patient/$match',
        headers: { 'content-type': 'application/fhir+json' },
        body: matchParameters(next().item),
      }));
      add(latencyRow('FHIR $match', 'p50', match, SEARCH_TARGETS.matchP50));
      add(latencyRow('FHIR $match', 'p99', match, SEARCH_TARGETS.matchP99));
    }
    keep = true;
  } finally {
    if (server.stderrCount > 0) {
      log(`the server wrote ${server.stderrCount} warning/error line(s) to stderr; the first:`);
      for (const line of server.stderrLines.slice(0, 5)) log(`  ${line}`);
      problems.push(`patient-search [${dialect}]: the server logged ${server.stderrCount} warning/error line(s), e.g. ${server.stderrLines[0]}`);
      server.stderrLines.length = 0;
      server.stderrCount = 0;
    }
    // patient-create (next in the run) measures registration on the same index.
    if (keep) parkIndexServer(server);
    else await server.stop();
  }
  return { rows, problems };
}

export const patientSearch: Benchmark = {
  name: 'patient-search',
  summary: `GET /api/patients by name, name + birth date, prefix, MRN, and FHIR $match on a filled index (targets p50 ${SEARCH_TARGETS.p50} ms, p99 ${SEARCH_TARGETS.p99} ms, ${formatNumber(SEARCH_TARGETS.perSecond)}/s)`,
  run,
};
