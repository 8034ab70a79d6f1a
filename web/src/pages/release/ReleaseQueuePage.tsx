import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { PERMISSIONS } from '../../api/permissions';
import { BASIS_KINDS, REQUESTER_KINDS, STATUS_LABELS, useWorkQueue, type QueueFilter, type QueueItem } from '../../api/release';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { useSession } from '../../session/SessionProvider';

const FILTERS: { value: QueueFilter; label: string }[] = [
  { value: 'open', label: 'Open' }, { value: 'mine', label: 'Assigned to me' }, { value: 'overdue', label: 'Overdue' }, { value: 'all', label: 'All' },
];

/** Days left in words, overdue in red. */
export function DueBadge({ item }: { item: Pick<QueueItem, 'daysLeft' | 'overdue'> }) {
  if (item.overdue) return <Badge color="red.9" variant="filled">Overdue {-item.daysLeft} d</Badge>;
  if (item.daysLeft <= 7) return <Badge color="orange.9" variant="light">{item.daysLeft} d left</Badge>;
  return <Text size="sm">{item.daysLeft} d left</Text>;
}

/** The release desk's work queue: requests by due date, the overdue first. */
export function ReleaseQueuePage() {
  const { hasPermission } = useSession();
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS.find((f) => f.value === params.get('show'))?.value ?? 'open') as QueueFilter;
  const queue = useWorkQueue(filter);
  return (
    <Stack gap="md">
      <PageTitle>Release of information</PageTitle>
      <Group justify="space-between">
        <SegmentedControl aria-label="Show requests" data={FILTERS} value={filter} onChange={(v) => setParams(v === 'open' ? {} : { show: v })} />
        <Group gap="sm">
          <Button component={Link} to="/release/dashboard" variant="outline">Dashboard</Button>
          {hasPermission(PERMISSIONS.releaseWrite) && <Button component={Link} to="/release/new">Log a request</Button>}
        </Group>
      </Group>
      <ProblemAlert error={queue.error} />
      {queue.isPending ? <Loader role="status" aria-label="Loading the work queue" /> : queue.data && queue.data.length === 0 ? (
        <Text c="dimmed">No requests here.</Text>
      ) : (
        <ScrollableTable label="Work queue" minWidth={900}>
          <Table striped data-testid="release-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Due</Table.Th><Table.Th scope="col">Time left</Table.Th><Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">MRN</Table.Th><Table.Th scope="col">Requester</Table.Th><Table.Th scope="col">Basis</Table.Th>
                <Table.Th scope="col">Status</Table.Th><Table.Th scope="col">Assigned to</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(queue.data ?? []).map((q) => (
                <Table.Tr key={q.id} data-request={q.id} data-overdue={q.overdue}>
                  <Table.Td>{q.dueDate}{q.extended ? ' (extended)' : ''}</Table.Td>
                  <Table.Td><DueBadge item={q} /></Table.Td>
                  <Table.Td><Anchor component={Link} to={`/release/${q.id}`}>{q.patient?.name ?? 'Restricted record'}</Anchor></Table.Td>
                  <Table.Td>{q.patient?.mrn ?? '—'}</Table.Td>
                  <Table.Td>{q.requesterName} ({REQUESTER_KINDS[q.requesterKind]})</Table.Td>
                  <Table.Td>{BASIS_KINDS[q.basis].split(' (')[0].split(':')[0]}</Table.Td>
                  <Table.Td>{STATUS_LABELS[q.status]}</Table.Td>
                  <Table.Td>{q.assignedTo?.name ?? 'Unassigned'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
    </Stack>
  );
}
