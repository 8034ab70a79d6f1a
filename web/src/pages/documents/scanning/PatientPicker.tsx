import { Button, Group, Loader, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { usePatientSearch, type PatientSearchResult } from '../../../api/patients';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDay, patientName } from '../../patients/patient-format';

/** The patient chosen, as the scanning pages show it. */
export type ChosenPatient = Pick<PatientSearchResult, 'id' | 'mrn' | 'family' | 'given' | 'middle' | 'suffix' | 'birthDate'>;

export const describePatient = (p: ChosenPatient) => `${patientName(p)} · MRN ${p.mrn} · born ${formatDay(p.birthDate)}`;

/**
 * Finds and chooses a patient with the same search as the Patients page (name, MRN, birth date...).
 * No form of its own, so it sits inside another form: Enter in the box searches.
 */
export function PatientPicker({ label, value, onChange }: { label: string; value: ChosenPatient | null; onChange(patient: ChosenPatient | null): void }) {
  const [text, setText] = useState('');
  const [applied, setApplied] = useState('');
  const search = usePatientSearch(applied);
  const results = search.data ?? [];

  if (value) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Group gap="sm">
          <Text data-testid="chosen-patient">{describePatient(value)}</Text>
          <Button size="xs" variant="default" onClick={() => onChange(null)}>
            Change patient
          </Button>
        </Group>
      </Stack>
    );
  }
  const run = () => {
    const typed = text.trim();
    if (typed === applied) void search.refetch();
    else setApplied(typed);
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          label={label}
          description="Name, MRN or birth date; Enter searches."
          autoComplete="off"
          style={{ flex: 1 }}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              run();
            }
          }}
        />
        <Button type="button" variant="default" onClick={run} loading={search.isFetching}>
          Find patient
        </Button>
      </Group>
      <ProblemAlert error={search.error} />
      {applied !== '' && search.isPending && <Loader size="sm" role="status" aria-label="Searching" />}
      {applied !== '' && !search.isPending && results.length === 0 && !search.error && <Text role="status">No patient matches “{applied}”.</Text>}
      {results.length > 0 && (
        <Stack gap={4} role="list" aria-label="Matching patients">
          {results.slice(0, 10).map((result) => (
            <div role="listitem" key={result.id}>
              <UnstyledButton
                onClick={() => onChange(result)}
                aria-label={`Choose ${describePatient(result)}`}
                p={6}
                style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, width: '100%' }}
              >
                {describePatient(result)}
              </UnstyledButton>
            </div>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
