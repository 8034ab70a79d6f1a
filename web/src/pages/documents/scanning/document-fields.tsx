import { NativeSelect } from '@mantine/core';
import { usePatientEncounters } from '../../../api/encounters';
import { useDocumentTypes } from '../../../api/scanning';
import { PatientPicker, type ChosenPatient } from './PatientPicker';

/** The patient's visits to file to, or none (the document goes to the chart). */
export function VisitSelect({ patientId, value, onChange }: { patientId: string; value: string; onChange(value: string): void }) {
  const visits = usePatientEncounters(patientId);
  const options = [
    { value: '', label: 'No visit (file to the chart)' },
    ...(visits.data ?? []).map((v) => ({ value: v.id, label: `${v.visitNumber} · ${v.class.replace('_', ' ')} · ${(v.admittedAt ?? v.plannedAt ?? v.createdAt).slice(0, 10)}` })),
  ];
  return <NativeSelect label="Visit" data={options} value={value} onChange={(event) => onChange(event.currentTarget.value)} disabled={visits.isPending} />;
}

/** The document types (LOINC document codes) from the server's one list. */
export function DocumentTypeSelect({ value, onChange }: { value: string; onChange(value: string): void }) {
  const types = useDocumentTypes();
  const options = [{ value: '', label: 'Choose a document type' }, ...(types.data ?? []).map((t) => ({ value: t.code, label: `${t.display} (${t.code})` }))];
  return <NativeSelect label="Document type" required data={options} value={value} onChange={(event) => onChange(event.currentTarget.value)} />;
}

/** Whose and what a document is: the patient (unless fixed), their visit, the document type. Choosing another patient clears the visit. */
export function DocumentIndexFields(props: {
  patient: ChosenPatient | null;
  onPatient(patient: ChosenPatient | null): void;
  patientFixed?: boolean;
  visit: string;
  onVisit(visit: string): void;
  typeCode: string;
  onType(typeCode: string): void;
}) {
  const { patient, visit, typeCode } = props;
  return (
    <>
      {!props.patientFixed && (
        <PatientPicker
          label="Patient"
          value={patient}
          onChange={(p) => {
            props.onPatient(p);
            props.onVisit('');
          }}
        />
      )}
      {patient && <VisitSelect patientId={patient.id} value={visit} onChange={props.onVisit} />}
      <DocumentTypeSelect value={typeCode} onChange={props.onType} />
    </>
  );
}
