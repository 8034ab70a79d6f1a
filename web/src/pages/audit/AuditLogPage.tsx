import { Badge, Button, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiRequest, buildUrl } from '../../api/client';
import { roleLabel, useRoles } from '../../api/roles';
import type { AuditEvent, AuditEventPage, Role } from '../../api/types';
import { PageTitle } from '../../components/PageTitle';
import { ScrollableTable } from '../../components/ScrollableTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ShortId } from '../../components/ShortId';
import { formatCompactDateTime, formatFullTime } from '../../components/time';
import { describeDetails } from './audit-details';
import { actionLabel, recordTypeLabel } from './audit-labels';
import { NO_FILTERS, toAuditQuery, type AuditFilters } from './audit-filters';

const PAGE_SIZE = 50;

export function AuditLogPage() {
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const form = useForm<AuditFilters>({ initialValues: NO_FILTERS });
  const actions = useQuery({
    queryKey: ['audit-actions'],
    queryFn: ({ signal }) => apiRequest<{ actions: string[] }>('/api/audit-events/actions', { signal }).then((b) => b.actions),
    staleTime: Infinity,
  });
  const query = toAuditQuery(applied);
  const events = useInfiniteQuery({
    queryKey: ['audit-events', query],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<AuditEventPage>('/api/audit-events', { query: { ...query, limit: PAGE_SIZE, before: pageParam }, signal }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  const roles = useRoles();

  return (
    <Stack gap="md">
      <PageTitle>Audit log</PageTitle>

      <Paper withBorder p="md" component="form" aria-label="Filter audit events" onSubmit={form.onSubmit(setApplied)} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput label="Username" description="Exact username, e.g. mlopez" autoComplete="off" {...form.getInputProps('username')} />
          <TextInput
            label="Patient ID"
            description="Patient's internal id (from the patient's page)"
            autoComplete="off"
            {...form.getInputProps('patientId')}
          />
          <NativeSelect
            label="Action"
            data={[{ value: '', label: 'Any action' }, ...(actions.data ?? []).map((a) => ({ value: a, label: actionLabel(a) }))]}
            {...form.getInputProps('action')}
          />
          <NativeSelect
            label="Outcome"
            data={[
              { value: '', label: 'Any outcome' },
              { value: 'success', label: 'Success' },
              { value: 'failure', label: 'Failure' },
            ]}
            {...form.getInputProps('outcome')}
          />
          <TextInput type="date" label="From date" {...form.getInputProps('fromDate')} />
          <TextInput type="date" label="To date" {...form.getInputProps('toDate')} />
        </SimpleGrid>
        <Group mt="md" justify="space-between">
          <Group gap="sm">
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              onClick={() => {
                form.setValues(NO_FILTERS);
                setApplied(NO_FILTERS);
              }}
            >
              Clear filters
            </Button>
          </Group>
          <Button component="a" variant="outline" href={buildUrl('/api/audit-events/export.csv', query)} download>
            Export CSV
          </Button>
        </Group>
      </Paper>

      <ProblemAlert error={actions.error ?? events.error} />

      {events.isPending ? (
        <Loader role="status" aria-label="Loading audit events" />
      ) : rows.length === 0 ? (
        <Text role="status">No audit events match these filters.</Text>
      ) : (
        <>
          <Text size="sm" role="status">
            Showing {rows.length} {rows.length === 1 ? 'event' : 'events'}
            {events.hasNextPage ? '; more are available.' : '.'}
          </Text>
          {/* Wider than the page beside the menu: the table scrolls sideways in its box rather than squeezing columns. */}
          <ScrollableTable label="Audit events" minWidth={1360}>
            <Table striped aria-label="Audit events" data-testid="audit-events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Time</Table.Th>
                  <Table.Th scope="col">User</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Action</Table.Th>
                  <Table.Th scope="col">Record</Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col" miw={220}>
                    Details
                  </Table.Th>
                  <Table.Th scope="col" miw={220}>
                    Reason
                  </Table.Th>
                  <Table.Th scope="col">IP address</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((event) => (
                  <AuditEventRow key={event.id} event={event} roles={roles.data} />
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
          {events.hasNextPage && (
            <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
              Load more
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}

function AuditEventRow({ event, roles }: { event: AuditEvent; roles: Role[] | undefined }) {
  return (
    <Table.Tr data-action={event.action}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={event.occurredAt} title={formatFullTime(event.occurredAt)}>
          {formatCompactDateTime(event.occurredAt)}
        </time>
      </Table.Td>
      <Table.Td>{event.actorName ?? (event.actorType === 'system' ? 'System' : '—')}</Table.Td>
      <Table.Td>{event.actorRole ? roleLabel(event.actorRole, roles) : '—'}</Table.Td>
      <Table.Td miw={130}>
        <Stack gap={4} align="flex-start">
          <span>{actionLabel(event.action)}</span>
          {event.emergency && (
            // Never shortened: the label of a flex badge would otherwise shrink to "E…" in a narrow column.
            <Badge color="red.9" variant="filled" size="sm" miw="max-content">
              Emergency
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td miw={150}>
        {event.recordType ? (
          <>
            {recordTypeLabel(event.recordType)}
            {event.recordId && (
              <>
                {' '}
                <ShortId id={event.recordId} />
              </>
            )}
          </>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>{event.patientId ? <ShortId id={event.patientId} /> : '—'}</Table.Td>
      <Table.Td>{event.outcome === 'success' ? 'Success' : <Text span c="red.9" fw={600}>Failure</Text>}</Table.Td>
      <Table.Td>{describeDetails(event, roles)}</Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{event.reason ?? ''}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{event.ip ?? '—'}</Table.Td>
    </Table.Tr>
  );
}
