import type { Patient } from '../../../api/patients';
import { AmendmentsSection } from '../amendments/AmendmentsSection';
import { DisclosuresSection } from './DisclosuresSection';

/** What release of information shows on the patient summary: the disclosure log and the amendment requests. */
export function ReleaseRecordSections({ patient }: { patient: Patient }) {
  return (
    <>
      <DisclosuresSection patient={patient} />
      <AmendmentsSection patient={patient} />
    </>
  );
}
