import { Anchor, Badge, Button, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { usePatientEncounters, type EncounterStatus } from '../../api/encounters';
import { PERMISSIONS } from '../../api/permissions';
import type { Patient } from '../../api/patients';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatCompactDateTime, formatFullTime } from '../../components/time';
import { useSession } from '../../session/SessionProvider';
import { CLASS_LABELS, STATUS_LABELS } from './encounter-codes';
import { locationText, providerText } from './visit-format';

/** Filled badges in shades that keep white text readable. */
const STATUS_COLOURS: Record<EncounterStatus, string> = {
  planned: 'blue.9', in_progress: 'teal.9', on_leave: 'grape.9', finished: 'gray.7', cancelled: 'red.9',
};

export function StatusBadge({ status }: { status: EncounterStatus }) {
  return (
    <Badge color={STATUS_COLOURS[status]} variant="filled">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The patient's visits on the summary, newest first, with the ways to start a new one. */
export function VisitsSection({ patient }: { patient: Patient }) {
  const { hasPermission } = useSession();
  if (!hasPermission(PERMISSIONS.encountersRead)) return null;
  const admit = `/patients/${encodeURIComponent(patient.id)}/admit`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="summary-visits">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="summary-visits">
          Visits
        </Title>
        {hasPermission(PERMISSIONS.encountersWrite) && patient.status === 'active' && (
          <Group gap="xs">
            <Button component={Link} to={admit} size="sm">
              Admit
            </Button>
            <Button component={Link} to={`${admit}?mode=register`} size="sm" variant="default">
              Register outpatient visit
            </Button>
            <Button component={Link} to={`${admit}?mode=pre_admit`} size="sm" variant="default">
              Pre-admit
            </Button>
          </Group>
        )}
      </Group>
      <VisitsTable patientId={patient.id} />
    </Paper>
  );
}

function VisitsTable({ patientId }: { patientId: string }) {
  const visits = usePatientEncounters(patientId);
  if (visits.isPending) return <Loader size="sm" role="status" aria-label="Loading visits" />;
  if (visits.error) return <ProblemAlert error={visits.error} />;
  if (visits.data.length === 0) return <Text c="dimmed">No visits recorded.</Text>;
  const when = (iso: string | null) => (iso ? <span title={formatFullTime(iso)}>{formatCompactDateTime(iso)}</span> : '—');
  return (
    <ScrollableTable label="Visits table" minWidth={820}>
      <Table striped data-testid="visits">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Visit</Table.Th>
            <Table.Th scope="col">Class</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Admitted</Table.Th>
            <Table.Th scope="col">Discharged</Table.Th>
            <Table.Th scope="col">Unit, room, bed</Table.Th>
            <Table.Th scope="col">Attending</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {visits.data.map((visit) => (
            <Table.Tr key={visit.id}>
              <Table.Td>
                <Anchor component={Link} to={`/encounters/${encodeURIComponent(visit.id)}`}>
                  {visit.visitNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{CLASS_LABELS[visit.class]}</Table.Td>
              <Table.Td>
                <StatusBadge status={visit.status} />
              </Table.Td>
              <Table.Td>{visit.admittedAt ? when(visit.admittedAt) : visit.plannedAt ? <>Planned {when(visit.plannedAt)}</> : '—'}</Table.Td>
              <Table.Td>{when(visit.dischargedAt)}</Table.Td>
              <Table.Td>{locationText(visit.location) ?? '—'}</Table.Td>
              <Table.Td>{providerText(visit.attendingProvider) ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}
