/** What the document benchmarks share: a signed-in HIM supervisor and a registered patient, through the real services. */
import type { Principal } from '../src/access/principal.js';
import { actorOf } from '../src/access/principal.js';
import { permissionsOf } from '../src/access/roles.js';
import type { AppContext } from '../src/context.js';
import { Demographics, registerPatient } from '../src/patients/index.js';
import { patientInput } from '../test/support/patients.js';

export const BENCH_SUPERVISOR: Principal = {
  kind: 'user', id: '01900000-0000-7000-8000-00000000be9c', name: 'bench.supervisor', role: 'him_supervisor', permissions: new Set(permissionsOf('him_supervisor')),
};

export async function benchPatient(ctx: AppContext, family: string): Promise<string> {
  const d = Demographics.parse(patientInput({ family, ssn: undefined, phones: [], email: undefined, addresses: [] }));
  return (await registerPatient(ctx, actorOf(BENCH_SUPERVISOR), d)).patient.id;
}
