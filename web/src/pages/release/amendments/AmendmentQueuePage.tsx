import { Anchor, Loader, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAmendmentQueue } from '../../../api/amendments';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { localToday } from '../../../api/disclosures';

/** Open amendment requests, soonest due first: the work queue. */
export function AmendmentQueuePage() {
  const queue = useAmendmentQueue();
  const today = localToday();
  return (
    <Stack gap="md">
      <PageTitle>Amendment requests</PageTitle>
      <Text>Each request must be accepted or denied within 60 days of receipt (45 CFR 164.526(b)(2)); one 30-day extension may be taken, with a written reason.</Text>
      {queue.isPending ? (
        <Loader role="status" aria-label="Loading amendment requests" />
      ) : queue.error ? (
        <ProblemAlert error={queue.error} />
      ) : queue.data.length === 0 ? (
        <Text c="dimmed">No open amendment requests.</Text>
      ) : (
        <ScrollableTable label="Amendment requests table" minWidth={800}>
          <Table striped data-testid="amendment-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">MRN</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">Request</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queue.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    {a.currentDueOn}
                    {a.currentDueOn < today && (
                      <Text span c="red.9" fw={700}>
                        {' '}
                        overdue
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/release/amendments/${encodeURIComponent(a.id)}`}>
                      {a.patientName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{a.mrn}</Table.Td>
                  <Table.Td>{a.receivedOn}</Table.Td>
                  <Table.Td>{a.requestedChange}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
    </Stack>
  );
}
