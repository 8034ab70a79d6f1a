import { Anchor, Badge, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePatientHistory, type FieldChange, type Patient, type PatientVersion } from '../../api/patients';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatDateTime, formatUtc } from '../../components/time';
import { fieldLabel } from './demographic-codes';
import { PatientBanner } from './PatientBanner';
import { PatientRecordGate, RecordTitle } from './PatientRecordGate';

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
      <Table.Td>
        <JsonValue value={change.before} />
      </Table.Td>
      <Table.Td>
        <JsonValue value={change.after} />
      </Table.Td>
    </Table.Tr>
  );
}

const PHOTO = /^data:image\//;

/**
 * A value as compact JSON: text and numbers as they are, a list one item a line, each object on one
 * line. A photo shows as a note: its data would fill the screen.
 */
export function compactJson(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return PHOTO.test(value) ? '(photo)' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item !== 'object' || item === null)) return JSON.stringify(value);
    return `[\n${value.map((item) => `  ${JSON.stringify(item)}`).join(',\n')}\n]`;
  }
  return JSON.stringify(value);
}

function JsonValue({ value }: { value: unknown }) {
  const text = compactJson(value);
  return (
    <Text component="pre" size="sm" ff="monospace" m={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text}
    </Text>
  );
}
