import { Button, Modal } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { PERMISSIONS } from '../../../api/permissions';
import { useSession } from '../../../session/SessionProvider';
import { CoverSheetForm } from './CoverSheetForm';
import type { ChosenPatient } from './PatientPicker';

/**
 * "Print cover sheet" for a known patient (the patient summary, a visit): opens the cover-sheet form
 * with the patient fixed. Shown only to those who scan (documents.write).
 */
export function CoverSheetButton({ patient, encounterId }: { patient: ChosenPatient; encounterId?: string }) {
  const { hasPermission } = useSession();
  const [opened, { open, close }] = useDisclosure(false);
  if (!hasPermission(PERMISSIONS.documentsWrite)) return null;
  return (
    <>
      <Button size="sm" variant="default" onClick={open}>
        Print cover sheet
      </Button>
      <Modal opened={opened} onClose={close} title="Print a scanning cover sheet">
        <CoverSheetForm patient={patient} encounterId={encounterId} />
      </Modal>
    </>
  );
}
