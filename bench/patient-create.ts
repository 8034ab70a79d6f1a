/**
 * Registering patients over FHIR on a filled index: POST /fhir/R4/Patient from eight concurrent
 * clients, each create checked against the index for likely duplicates (a 409 when there are any,
 * counted apart), and transaction Bundles of 100 Patients (all or nothing, a likely duplicate refuses its Bundle).
 * The patients are new synthetic people (another seed, other SSNs and identifiers), so few are
 * taken for someone already registered. Uses the index patient-search filled when it ran before.
 */
import { loadavg } from 'node:os';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { fetchToken, fillRow, filledIndexServer, ms, profiled, runLoad, statusSummary } from './serve-patients-for-bench.js';
import { INDEX_SEED, SyntheticPatients, fhirPatientOf, indexSize } from './synthetic-index.js';

export const CREATE_TARGETS = { perSecond: 1_500, p99: 30, bundlePerSecond: 3_000 } as const;
const CONNECTIONS = 8;
const BUNDLE_SIZE = 100;
/** Far from the index's patient numbers: SSNs and other-facility MRNs never repeat one in the index. */
const NEW_PATIENTS_OFFSET = 500_000_000;

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 5 : 10;
  const warmSeconds = quick ? 1 : 2;
  const patients = indexSize(quick);
  const rows: Row[] = [];
  const problems: string[] = [];
  const add = (row: Row) => {
    rows.push(row);
    printRow(row, log);
  };
  const { server, reused } = await filledIndexServer(dialect, patients, log);
  try {
    const ready = server.ready!;
    log(reused
      ? `reusing the index patient-search filled: ${formatNumber(patients)} patients (pid ${ready.pid}, ${ready.url})`
      : `server in a child process (pid ${ready.pid}) at ${ready.url}, index of ${formatNumber(patients)} patients filled in ${ready.fill.seconds.toFixed(0)} s`);
    if (!reused) add(fillRow(dialect, ready));
    const token = await fetchToken(ready.url, ready.clientId, ready.clientSecret);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };

    // Made before timing: more than eight clients can send at any rate this machine reaches.
    const generator = new SyntheticPatients(INDEX_SEED + 1, NEW_PATIENTS_OFFSET);
    const bodies = Array.from({ length: 5_000 * (seconds + warmSeconds) }, () => JSON.stringify(fhirPatientOf(generator.next())));
    let next = 0;
    let wrapped = false;
    const nextBody = () => {
      if (next === bodies.length) {
        next = 0;
        wrapped = true; // sending a patient again: a likely-duplicate 409, which the 409 count shows
      }
      return bodies[next++];
    };

    const probe = await fetch(`${ready.url}/fhir/R4/Patient`, { method: 'POST', headers, body: nextBody(), signal: AbortSignal.timeout(15_000) });
    const probeBody = await probe.text();
    if (probe.status !== 201) problems.push(`patient-create [${dialect}]: the probe POST /fhir/R4/Patient answered ${probe.status}: ${probeBody.slice(0, 300)}`);

    const request = () => ({ method: 'POST', path: '/fhir/R4/Patient', headers: { 'content-type': 'application/fhir+json' }, body: nextBody() });
    log(`warm-up: ${warmSeconds} s, ${CONNECTIONS} connections`);
    await runLoad({ url: ready.url, token, connections: CONNECTIONS, seconds: warmSeconds, next: request });

    await server.settledSeq(); // the warm-up's last creates may still be committing
    const before = Number((await server.command('patients')).patients);
    const created = await profiled(server, `${dialect}-fhir-create-${CONNECTIONS}`, log, () =>
      runLoad({ url: ready.url, token, connections: CONNECTIONS, seconds, next: request }),
    );
    await server.settledSeq();
    const after = Number((await server.command('patients')).patients);
    const conflicts = created.byStatus['409'] ?? 0;
    const other = Object.entries(created.byStatus).filter(([code]) => code !== '201' && code !== '409').reduce((s, [, n]) => s + n, 0);
    const perSecond = created.ok / created.seconds;
    log(`  POST /fhir/R4/Patient, ${CONNECTIONS} conns: ${formatNumber(perSecond)} created/s, p50 ${ms(created.p50)} ms, p90 ${ms(created.p90)} ms, p99 ${ms(created.p99)} ms, max ${ms(created.max)} ms; status ${statusSummary(created)}; patients +${formatNumber(after - before)}; load ${loadavg()[0].toFixed(1)}`);
    add({
      name: `patient-create FHIR POST Patient (${CONNECTIONS} conns)`,
      dialect,
      figure: perSecond,
      unit: 'patients/s',
      target: CREATE_TARGETS.perSecond,
      note: `${formatNumber(created.ok)} created in ${created.seconds.toFixed(0)} s with the duplicate check, 409 ${formatNumber(conflicts)}, other non-2xx ${other}; p50 ${ms(created.p50)} ms${dialect === 'postgres' ? '; target stated for SQLite' : ''}`,
    });
    add({
      name: `patient-create FHIR POST Patient p99 (${CONNECTIONS} conns)`,
      dialect,
      figure: created.ok > 0 ? CREATE_TARGETS.p99 / created.p99 : 0,
      unit: `x (${CREATE_TARGETS.p99} ms / p99)`,
      target: 1,
      note: `p99 ${ms(created.p99)} ms, target <= ${CREATE_TARGETS.p99} ms (every response, 201 and 409)`,
    });
    add({
      name: 'patient-create 409 likely duplicate',
      dialect,
      figure: conflicts,
      unit: 'responses',
      note: `${((100 * conflicts) / Math.max(1, created.ok + conflicts)).toFixed(2)}% of creates: new synthetic people the index took for registered ones${wrapped ? '; the prepared patients ran out and were sent again' : ''}`,
    });
    if (other > 0) problems.push(`patient-create [${dialect}]: ${other} responses other than 201 and 409 (${statusSummary(created)})`);
    if (created.errors > 0) problems.push(`patient-create [${dialect}]: ${created.errors} connection errors (${created.timeouts} timeouts)`);
    if (created.ok === 0) problems.push(`patient-create [${dialect}]: no patient created`);
    // Requests still in flight when autocannon stops are created without their 201 being counted: at most one per connection.
    const grew = after - before;
    if (grew < created.ok || grew > created.ok + CONNECTIONS) problems.push(`patient-create [${dialect}]: ${created.ok} creates answered 201 but the index grew by ${grew}`);

    // Transaction Bundles of 100 Patients (POST to the base URL): each all or nothing, with the duplicate check.
    const bundleOf = () => JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: BUNDLE_SIZE }, () => ({ resource: JSON.parse(nextBody()), request: { method: 'POST', url: 'Patient' } })),
    });
    const bundleProbe = await fetch(`${ready.url}/fhir/R4`, { method: 'POST', headers, body: bundleOf(), signal: AbortSignal.timeout(60_000) });
    const bundleAnswer = await bundleProbe.text();
    if (bundleProbe.status !== 200 && bundleProbe.status !== 409) {
      problems.push(`patient-create [${dialect}]: the probe transaction Bundle answered ${bundleProbe.status}: ${bundleAnswer.slice(0, 300)}`);
    }
    await server.settledSeq();
    const beforeBundles = Number((await server.command('patients')).patients);
    const bundles = await profiled(server, `${dialect}-fhir-transaction-bundle-${CONNECTIONS}`, log, () =>
      runLoad({
        url: ready.url, token, connections: CONNECTIONS, seconds,
        next: () => ({ method: 'POST', path: '/fhir/R4', headers: { 'content-type': 'application/fhir+json', prefer: 'return=minimal' }, body: bundleOf() }),
      }),
    );
    await server.settledSeq();
    const bundleGrew = Number((await server.command('patients')).patients) - beforeBundles;
    // A Bundle holding one patient the index takes for a registered one is refused whole (409), as a client without a reason would be.
    const refused = bundles.byStatus['409'] ?? 0;
    const otherBundles = Object.entries(bundles.byStatus).filter(([code]) => code !== '200' && code !== '409').reduce((s, [, n]) => s + n, 0);
    const bundlePerSecond = (bundles.ok * BUNDLE_SIZE) / bundles.seconds;
    log(`  POST /fhir/R4 transaction Bundles of ${BUNDLE_SIZE}, ${CONNECTIONS} conns: ${formatNumber(bundlePerSecond)} patients/s, p50 ${ms(bundles.p50)} ms, p99 ${ms(bundles.p99)} ms; status ${statusSummary(bundles)}; patients +${formatNumber(bundleGrew)}; load ${loadavg()[0].toFixed(1)}`);
    add({
      name: `patient-create FHIR transaction Bundle of ${BUNDLE_SIZE}`,
      dialect,
      figure: bundlePerSecond,
      unit: 'patients/s',
      target: CREATE_TARGETS.bundlePerSecond,
      note: `${formatNumber(bundles.ok)} Bundles committed in ${bundles.seconds.toFixed(0)} s, ${CONNECTIONS} conns, Prefer: return=minimal, p50 ${ms(bundles.p50)} ms, p99 ${ms(bundles.p99)} ms; ` +
        `409 ${refused} (a likely duplicate refuses its Bundle)${dialect === 'postgres' ? '; target stated for SQLite' : ''}`,
    });
    if (otherBundles > 0) problems.push(`patient-create [${dialect}]: ${otherBundles} transaction Bundles answered other than 200 and 409 (${statusSummary(bundles)})`);
    if (bundles.ok === 0) problems.push(`patient-create [${dialect}]: no transaction Bundle committed`);
    // All or nothing: the index grew by whole Bundles only (one still in flight when the load stops may commit uncounted).
    if (bundleGrew % BUNDLE_SIZE !== 0 || bundleGrew < bundles.ok * BUNDLE_SIZE || bundleGrew > (bundles.ok + CONNECTIONS) * BUNDLE_SIZE) {
      problems.push(`patient-create [${dialect}]: ${bundles.ok} Bundles answered 200 but the index grew by ${bundleGrew} patients`);
    }
  } finally {
    if (server.stderrCount > 0) {
      log(`the server wrote ${server.stderrCount} warning/error line(s) to stderr; the first:`);
      for (const line of server.stderrLines.slice(0, 5)) log(`  ${line}`);
      problems.push(`patient-create [${dialect}]: the server logged ${server.stderrCount} warning/error line(s), e.g. ${server.stderrLines[0]}`);
    }
    await server.stop();
  }
  return { rows, problems };
}

export const patientCreate: Benchmark = {
  name: 'patient-create',
  summary: `FHIR POST Patient with the duplicate check, 8 clients, on a filled index (targets ${formatNumber(CREATE_TARGETS.perSecond)} patients/s, p99 ${CREATE_TARGETS.p99} ms; Bundle of 100 ${formatNumber(CREATE_TARGETS.bundlePerSecond)}/s)`,
  run,
};
