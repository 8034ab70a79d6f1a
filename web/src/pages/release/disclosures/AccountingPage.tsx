import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { accountingLetterUrl, dollars, useAccounting, useAccountingAction } from '../../../api/disclosures';
import { PERMISSIONS } from '../../../api/permissions';
import { Facts } from '../../../components/Facts';
import { fieldErrorsFor } from '../../../components/formErrors';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { useSession } from '../../../session/SessionProvider';
import { FormModal } from './FormModal';

const day = (iso: string) => iso.slice(0, 10);

/** One accounting request: the accounting as of today (the summarised rows), its deadline and fee, and the letter. */
export function AccountingPage() {
  const { id = '' } = useParams();
  const { hasPermission } = useSession();
  const loaded = useAccounting(id);
  const act = useAccountingAction(id);
  const [extending, setExtending] = useState(false);
  if (loaded.isPending) return <Loader role="status" aria-label="Loading the accounting" />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  const { request, accounting } = loaded.data;
  const canWrite = hasPermission(PERMISSIONS.releaseWrite);
  return (
    <Stack gap="md">
      <PageTitle>Accounting of disclosures</PageTitle>
      <Paper withBorder p="md" component="section" aria-labelledby="accounting-request">
        <Title order={2} size="h4" id="accounting-request" mb="sm">
          Request
        </Title>
        <Facts
          items={[
            ['Patient', <Anchor component={Link} to={`/patients/${encodeURIComponent(request.patientId)}`}>Patient summary</Anchor>],
            ['Received', request.receivedOn],
            ['Period', `${request.periodFrom} to ${request.periodTo}`],
            ['Due', request.extendedDueOn ? `${request.extendedDueOn} (extended from ${request.dueOn}: ${request.extensionReason})` : request.dueOn],
            ['Fee', request.free ? 'Free (first in 12 months)' : dollars(request.feeCents)],
            ['Status', request.status === 'fulfilled' ? `Provided ${request.fulfilledAt ? day(request.fulfilledAt) : ''}` : 'Open'],
          ]}
        />
        <Group gap="sm" mt="md" role="group" aria-label="Accounting actions">
          {canWrite && request.status === 'open' && (
            <Button onClick={() => act.mutate({ type: 'fulfil' })} loading={act.isPending && act.variables?.type === 'fulfil'}>
              Produce the letter
            </Button>
          )}
          {canWrite && request.status === 'open' && !request.extendedDueOn && (
            <Button variant="default" onClick={() => setExtending(true)}>
              Extend due date
            </Button>
          )}
          {request.hasLetter && (
            <Button component="a" variant="default" href={accountingLetterUrl(request.id)} target="_blank" rel="noopener">
              Download the letter
            </Button>
          )}
        </Group>
        {!extending && <ProblemAlert error={act.error} />}
      </Paper>

      {accounting.withheld > 0 && (
        <Alert color="yellow" variant="light" title="Withheld under an agency's suspension">
          {accounting.withheld} disclosure{accounting.withheld === 1 ? '' : 's'} to an agency that suspended the patient's right to an accounting
          {accounting.withheld === 1 ? ' is' : ' are'} left out while the suspension is in force. Do not mention them to the patient.
        </Alert>
      )}

      <Paper withBorder p="md" component="section" aria-labelledby="accounting-rows-title">
        <Title order={2} size="h4" id="accounting-rows-title" mb="xs">
          Disclosures listed
        </Title>
        <Text size="sm" mb="sm">
          {accounting.listed} listed in {accounting.rows.length} row{accounting.rows.length === 1 ? '' : 's'}; {accounting.leftOut} left out as exempt (treatment, payment,
          operations, to the patient, under an authorization and the other kinds of 164.528(a)(1)) or corrected.
        </Text>
        {accounting.rows.length === 0 ? (
          <Text c="dimmed">No disclosures in this period that an accounting lists.</Text>
        ) : (
          <ScrollableTable label="Accounting table" minWidth={900}>
            <Table striped data-testid="accounting-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Date</Table.Th>
                  <Table.Th scope="col">Recipient</Table.Th>
                  <Table.Th scope="col">What was disclosed</Table.Th>
                  <Table.Th scope="col">Purpose</Table.Th>
                  <Table.Th scope="col">Repeats</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounting.rows.map((row) => (
                  <Table.Tr key={`${row.recipientName}-${row.purpose}-${row.firstDisclosedAt}`}>
                    <Table.Td>{day(row.firstDisclosedAt)}</Table.Td>
                    <Table.Td>
                      {row.recipientName}
                      {row.recipientAddress && (
                        <Text size="xs" c="dimmed">
                          {row.recipientAddress}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{row.description}</Table.Td>
                    <Table.Td>{row.purpose}</Table.Td>
                    <Table.Td>{row.count > 1 ? `${row.count} disclosures, ${row.frequency}, last on ${day(row.lastDisclosedAt)}` : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </Paper>
      {extending && <ExtendModal onClose={() => setExtending(false)} onSubmit={(reason) => act.mutate({ type: 'extension', reason }, { onSuccess: () => setExtending(false) })} error={act.error} pending={act.isPending} />}
    </Stack>
  );
}

/** The one 30-day extension, with the reason the patient is told. */
export function ExtendModal({ onClose, onSubmit, error, pending }: { onClose: () => void; onSubmit: (reason: string) => void; error: unknown; pending: boolean }) {
  const [reason, setReason] = useState('');
  return (
    <FormModal title="Extend the due date by 30 days" submitLabel="Extend" size="md" onClose={onClose} onSubmit={() => onSubmit(reason)} error={error} pending={pending}>
      <Text size="sm">Allowed once, before the due date. The patient is told the reason and the new date in writing.</Text>
      <TextInput label="Reason for the delay" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldErrorsFor(error, { reason: 'reason' }).reason} />
    </FormModal>
  );
}
