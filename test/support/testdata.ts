import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The public sample files beside the repository: ../shared/testdata from the repository root. */
export const TESTDATA = resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'testdata'));
export const FHIR_EXAMPLES = join(TESTDATA, 'fhir', 'r4-official-examples');
export const SYNTHEA_R4 = join(TESTDATA, 'synthea', 'r4');
export const HL7V2 = join(TESTDATA, 'hl7v2');
