import { Anchor, Badge, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useEncounter, type EncounterDetail } from '../../api/encounters';
import { FactSection, Facts } from '../../components/Facts';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatCompactDateTime, formatDateTime, formatFullTime } from '../../components/time';
import { PatientBanner } from '../patients/PatientBanner';
import { PatientRecordGate, RecordTitle } from '../patients/PatientRecordGate';
import { ADMISSION_TYPES, ADMIT_SOURCES, CLASS_LABELS, codeText, DISCHARGE_DISPOSITIONS, EVENT_LABELS, HOSPITAL_SERVICES } from './encounter-codes';
import { VisitActions } from './VisitActions';
import { StatusBadge } from './VisitsSection';
import { locationText, providerText } from './visit-format';

/** One visit: who, where, since when, every bed and every event, and what can be done next. */
export function VisitPage() {
  const { id = '' } = useParams();
  const visit = useEncounter(id);
  if (visit.isPending) return <Loader role="status" aria-label="Loading the visit" />;
  if (visit.error) {
    const notFound = visit.error instanceof ApiError && visit.error.status === 404;
    return (
      <Stack gap="sm">
        <PageTitle>{notFound ? 'Visit not found' : 'Visit not available'}</PageTitle>
        <ProblemAlert error={visit.error} hint="A restricted patient's visits open after emergency access is granted on the patient's record." />
      </Stack>
    );
  }
  return <PatientRecordGate id={visit.data.patientId}>{(patient) => <Visit visit={visit.data} banner={<PatientBanner patient={patient} />} />}</PatientRecordGate>;
}

const when = (iso: string | null) => (iso ? formatDateTime(iso) : undefined);
const compact = (iso: string | null) => (iso ? <span title={formatFullTime(iso)}>{formatCompactDateTime(iso)}</span> : '—');

function Visit({ visit, banner }: { visit: EncounterDetail; banner: ReactNode }) {
  return (
    <Stack gap="md">
      <Group gap="sm" align="center">
        <RecordTitle tabTitle="Visit">{`Visit ${visit.visitNumber}`}</RecordTitle>
        <StatusBadge status={visit.status} />
      </Group>
      {banner}
      <VisitActions visit={visit} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <FactSection id="visit-facts" title="The visit">
          <Facts
            items={[
              ['Visit number', visit.visitNumber],
              ['Class', CLASS_LABELS[visit.class]],
              ['Where', locationText(visit.location, visit.unitName)],
              ['Hospital service', codeText(HOSPITAL_SERVICES, visit.service)],
              ['Planned for', when(visit.plannedAt)],
              ['Admitted', when(visit.admittedAt)],
              ['Discharged', when(visit.dischargedAt)],
              ['Disposition', codeText(DISCHARGE_DISPOSITIONS, visit.disposition)],
              ['Discharged to', visit.dischargedTo],
              ['Version', String(visit.version)],
            ]}
          />
        </FactSection>
        <FactSection id="visit-admission" title="Admission">
          <Facts
            items={[
              ['Admission type', codeText(ADMISSION_TYPES, visit.admitType)],
              ['Admission source', codeText(ADMIT_SOURCES, visit.admitSource)],
              ['Admitting provider', providerText(visit.admittingProvider)],
              ['Attending provider', providerText(visit.attendingProvider)],
              ['Reason', visit.reason],
            ]}
          />
        </FactSection>
      </SimpleGrid>
      <FactSection id="visit-beds" title="Bed history">
        {visit.stays.length === 0 ? (
          <Text c="dimmed">No bed yet.</Text>
        ) : (
          <ScrollableTable label="Bed history table" minWidth={640}>
            <Table striped data-testid="bed-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Unit</Table.Th>
                  <Table.Th scope="col">Room</Table.Th>
                  <Table.Th scope="col">Bed</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">Until</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {visit.stays.map((stay) => (
                  <Table.Tr key={`${stay.fromAt}:${stay.unit}:${stay.room}:${stay.bed}:${stay.cancelled}`} c={stay.cancelled ? 'dimmed' : undefined}>
                    <Table.Td>
                      {stay.unitName ? `${stay.unit} (${stay.unitName})` : stay.unit}{' '}
                      {stay.cancelled && (
                        <Badge color="gray.7" variant="filled" size="sm">
                          Cancelled
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{stay.room ?? '—'}</Table.Td>
                    <Table.Td>{stay.bed ?? '—'}</Table.Td>
                    <Table.Td>{compact(stay.fromAt)}</Table.Td>
                    <Table.Td>{stay.toAt ? compact(stay.toAt) : stay.cancelled ? '—' : 'Now'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </FactSection>
      <FactSection id="visit-events" title="Events">
        <ScrollableTable label="Events table" minWidth={640}>
          <Table striped data-testid="visit-events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">Took place</Table.Th>
                <Table.Th scope="col">Recorded</Table.Th>
                <Table.Th scope="col">By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...visit.events].reverse().map((event) => (
                <Table.Tr key={event.version}>
                  <Table.Td>{event.version}</Table.Td>
                  <Table.Td>{EVENT_LABELS[event.type] ?? event.type}</Table.Td>
                  <Table.Td>{compact(event.occurredAt)}</Table.Td>
                  <Table.Td>{compact(event.recordedAt)}</Table.Td>
                  <Table.Td>
                    {event.actor}
                    {event.source !== 'web' && ` (${event.source.toUpperCase()})`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      </FactSection>
      <Text>
        <Anchor component={Link} to={`/patients/${encodeURIComponent(visit.patientId)}`}>
          Back to the patient's record
        </Anchor>
      </Text>
    </Stack>
  );
}
