/**
 * `node --import tsx bench/adt-profile.ts [count]`: ADT A04/A08 applied in this process, one after
 * another as one MLLP connection would, with no socket: the time each message costs the server.
 * Run with `--cpu-prof` to see where it goes. Not part of `npm run bench` (no target of its own).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openChartroom } from '../src/runtime.js';
import { receiveMessage } from '../src/interop/hl7/processing.js';
import { testConfig } from '../test/support/chartroom.js';
import { adtMessage } from './adt-ingest.js';

const count = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'chartroom-adt-profile-'));
const ctx = await openChartroom(testConfig(dir, { logLevel: 'warn' }, 'sqlite'));
try {
  for (let k = 0; k < 400; k++) await receiveMessage(ctx, adtMessage(k % 2 ? 'A08' : 'A04', 9, 900_000 + Math.floor(k / 2), `W-${k}`));
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let refused = 0;
  for (let k = 0; k < count; k++) {
    const r = await receiveMessage(ctx, adtMessage(k % 2 ? 'A08' : 'A04', 1, Math.floor(k / 2), `P-${k}`));
    if (r.ackCode !== 'AA') refused++;
  }
  const ms = performance.now() - started;
  // CPU time (user + system, this process and the thread pool's fdatasync calls) is less noisy than wall time on a busy machine.
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`${count} messages in ${ms.toFixed(0)} ms: ${(ms / count).toFixed(3)} ms each, ${(count / (ms / 1000)).toFixed(0)} msg/s; CPU ${(cpuMs / count).toFixed(3)} ms each; ${refused} not AA`);
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
