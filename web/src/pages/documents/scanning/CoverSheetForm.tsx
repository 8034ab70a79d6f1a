import { Alert, Button, Group, NumberInput, Stack } from '@mantine/core';
import { useState } from 'react';
import { useCoverSheetDownload } from '../../../api/scanning';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { DocumentIndexFields } from './document-fields';
import type { ChosenPatient } from './PatientPicker';

/**
 * Prints cover sheets for one patient's document: the visit (or none), the document type, how many
 * copies; downloads the PDF. With `patient` given the patient is fixed (the patient's own pages).
 */
export function CoverSheetForm({ patient: fixed, encounterId: initialVisit = '' }: { patient?: ChosenPatient; encounterId?: string }) {
  const [patient, setPatient] = useState<ChosenPatient | null>(fixed ?? null);
  const [visit, setVisit] = useState(initialVisit);
  const [typeCode, setTypeCode] = useState('');
  const [copies, setCopies] = useState<number>(1);
  const [missing, setMissing] = useState(false);
  const download = useCoverSheetDownload();

  const submit = () => {
    if (!patient || !typeCode) return setMissing(true);
    setMissing(false);
    download.mutate({ patientId: patient.id, encounterId: visit || null, typeCode, copies });
  };

  return (
    <form
      aria-label="Print cover sheets"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm" maw={640}>
        <DocumentIndexFields patient={patient} onPatient={setPatient} patientFixed={Boolean(fixed)} visit={visit} onVisit={setVisit} typeCode={typeCode} onType={setTypeCode} />
        <NumberInput label="Copies" min={1} max={50} value={copies} onChange={(v) => setCopies(typeof v === 'number' ? v : 1)} w={120} />
        {missing && (
          <Alert color="red" variant="light" role="alert" title="Please check the form">
            Choose the patient and the document type first.
          </Alert>
        )}
        <ProblemAlert error={download.error} />
        {download.isSuccess && (
          <Alert color="teal" variant="light" role="status">
            The cover sheet is downloaded. Print it and place it in front of the document.
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={download.isPending}>
            Download cover sheet
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
