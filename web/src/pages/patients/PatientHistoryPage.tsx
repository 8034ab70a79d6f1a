import { Anchor, Badge, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePatientHistory, type FieldChange, type Patient, type PatientVersion } from '../../api/patients';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatDateTime, formatUtc } from '../../components/time';
import { fieldLabel } from './demographic-codes';
import { PatientBanner } from './PatientBanner';
import { PatientRecordGate, RecordTitle } from './PatientRecordGate';
import { describeValue } from './value-text';
import { ValueLines } from './ValueLines';

const CHANGE_LABELS: Record<string, string> = {
  registered: 'Registered',
  updated: 'Updated',
  'merged-into': 'Merged into another record',
  'merged-from': 'Another record merged into this one',
  unmerged: 'Merge undone',
  'legal-hold': 'Legal hold changed',
};

export const changeLabel = (change: string): string => CHANGE_LABELS[change] ?? change;

/**
 * Columns the server derives from the demographics for searching (src/patients/patient-record.ts
 * toPatientRow): the history repeats them beside the fields they come from, so they are left out.
 */
const DERIVED_FIELDS = new Set(['id', 'flagVip', 'flagEmployee', 'flagRestricted', 'flagDoNotRelease', 'postalCode']);

/** Every version of a patient's record, newest first, each with who changed what and why. */
export function PatientHistoryPage() {
  const { id = '' } = useParams();
  return <PatientRecordGate id={id}>{(patient) => <PatientHistory patient={patient} />}</PatientRecordGate>;
}

function PatientHistory({ patient }: { patient: Patient }) {
  const history = usePatientHistory(patient.id);
  return (
    <Stack gap="md">
      <RecordTitle tabTitle="Patient record history">Record history</RecordTitle>
      <PatientBanner patient={patient} />
      <Text>
        <Anchor component={Link} to={`/patients/${encodeURIComponent(patient.id)}`}>
          Back to the record
        </Anchor>
      </Text>
      <ProblemAlert error={history.error} />
      {history.isPending ? (
        <Loader role="status" aria-label="Loading the record's history" />
      ) : (
        (history.data ?? []).map((version) => <VersionCard key={`${version.version}:${version.change}:${version.changedAt}`} version={version} />)
      )}
    </Stack>
  );
}

function VersionCard({ version }: { version: PatientVersion }) {
  const headingId = `version-${version.version}-${version.change}`;
  const changes = version.changes.filter((change) => !DERIVED_FIELDS.has(change.field));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={`version-${version.version}`}>
      <Group gap="sm" mb="xs">
        <Title order={2} size="h4" id={headingId}>
          Version {version.version}: {changeLabel(version.change)}
        </Title>
        {version.change === 'merged-into' && <Badge color="gray.7" variant="filled">Retired</Badge>}
      </Group>
      <Text size="sm">
        <time dateTime={version.changedAt} title={formatUtc(version.changedAt)}>
          {formatDateTime(version.changedAt)}
        </time>{' '}
        by {version.changedBy}
      </Text>
      {version.reason && <Text size="sm">Reason: {version.reason}</Text>}
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          No field changed.
        </Text>
      ) : (
        <ScrollableTable label={`Changes in version ${version.version}`} minWidth={640}>
          <Table striped mt="xs" aria-label={`Changes in version ${version.version}`} layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="22%">
                  Field
                </Table.Th>
                <Table.Th scope="col">Before</Table.Th>
                <Table.Th scope="col">After</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((change) => (
                <ChangeRow key={change.field} change={change} />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
    </Paper>
  );
}

function ChangeRow({ change }: { change: FieldChange }) {
  return (
    <Table.Tr data-field={change.field}>
      <Table.Th scope="row" fw={600}>
        {fieldLabel(change.field)}
      </Table.Th>
      <Table.Td data-side="before">
        <ValueInWords field={change.field} value={change.before} />
      </Table.Td>
      <Table.Td data-side="after">
        <ValueInWords field={change.field} value={change.after} />
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A value as the summary page writes it (value-text.ts): a list one item a line, codes as their
 * names, dates in the reader's format. Sealed values (the SSN) arrive from the server as "on file,
 * ending 1234" at most, never their digits.
 */
function ValueInWords({ field, value }: { field: string; value: unknown }) {
  return <ValueLines lines={describeValue(field, value)} />;
}
