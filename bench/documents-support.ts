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

let registered = 0;
/** A new patient (each with another birth date, so the duplicate check never stops one). */
export async function benchPatient(ctx: AppContext, family: string): Promise<string> {
  registered += 1;
  const birthDate = `19${50 + (registered % 40)}-0${1 + (registered % 9)}-1${registered % 10}`;
  const d = Demographics.parse(patientInput({ family, birthDate, ssn: undefined, phones: [], email: undefined, addresses: [] }));
  return (await registerPatient(ctx, actorOf(BENCH_SUPERVISOR), d)).patient.id;
}
