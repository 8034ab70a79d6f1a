import { Anchor, Badge, Button, Group, Loader, NativeSelect, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PERMISSIONS } from '../../../api/permissions';
import type { Patient } from '../../../api/patients';
import {
  dollars, localToday, useDisclosureKinds, usePatientAccountings, usePatientDisclosures, useRecordDisclosure, useRequestAccounting,
} from '../../../api/disclosures';
import { fieldErrorsFor } from '../../../components/formErrors';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatCompactDateTime, formatFullTime } from '../../../components/time';
import { useSession } from '../../../session/SessionProvider';
import { FormModal } from './FormModal';

/** The patient's disclosure log on the summary, with the ways to record one and to request an accounting. */
export function DisclosuresSection({ patient }: { patient: Patient }) {
  const { hasPermission } = useSession();
  const [open, setOpen] = useState<'record' | 'accounting' | null>(null);
  if (!hasPermission(PERMISSIONS.releaseRead)) return null;
  const canWrite = hasPermission(PERMISSIONS.releaseWrite) && patient.status === 'active';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="summary-disclosures">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="summary-disclosures">
          Disclosures
        </Title>
        {canWrite && (
          <Group gap="xs">
            <Button size="sm" onClick={() => setOpen('record')}>
              Record a disclosure
            </Button>
            <Button size="sm" variant="default" onClick={() => setOpen('accounting')}>
              Request an accounting
            </Button>
          </Group>
        )}
      </Group>
      <Stack gap="md">
        <DisclosureTable patientId={patient.id} />
        <AccountingRequests patientId={patient.id} />
      </Stack>
      {open === 'record' && <RecordDisclosureModal patientId={patient.id} onClose={() => setOpen(null)} />}
      {open === 'accounting' && <RequestAccountingModal patientId={patient.id} onClose={() => setOpen(null)} />}
    </Paper>
  );
}

function DisclosureTable({ patientId }: { patientId: string }) {
  const log = usePatientDisclosures(patientId);
  if (log.isPending) return <Loader size="sm" role="status" aria-label="Loading disclosures" />;
  if (log.error) return <ProblemAlert error={log.error} />;
  if (log.data.disclosures.length === 0) return <Text c="dimmed">No disclosures recorded.</Text>;
  return (
    <ScrollableTable label="Disclosures table" minWidth={860}>
      <Table striped data-testid="disclosures">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Disclosed</Table.Th>
            <Table.Th scope="col">Recipient</Table.Th>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Purpose</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {log.data.disclosures.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                <span title={formatFullTime(d.disclosedAt)}>{formatCompactDateTime(d.disclosedAt)}</span>
              </Table.Td>
              <Table.Td>
                {d.recipientName}
                {d.recipientAddress && (
                  <Text size="xs" c="dimmed">
                    {d.recipientAddress}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {d.kindLabel}{' '}
                <Badge variant="outline" color={d.exempt ? 'gray.8' : 'blue.9'}>
                  {d.exempt ? 'Exempt' : 'Accountable'}
                </Badge>
                {d.correctedById && (
                  <Badge variant="outline" color="red.9" ml={4}>
                    Corrected
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{d.description}</Table.Td>
              <Table.Td>{d.purpose}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function AccountingRequests({ patientId }: { patientId: string }) {
  const requests = usePatientAccountings(patientId);
  if (requests.isPending || requests.error || requests.data.length === 0) return null;
  return (
    <div>
      <Title order={3} size="h5" mb="xs">
        Accountings requested
      </Title>
      <Stack gap={4}>
        {requests.data.map((r) => (
          <Text key={r.id} size="sm">
            <Anchor component={Link} to={`/release/accountings/${encodeURIComponent(r.id)}`}>
              Received {r.receivedOn}
            </Anchor>{' '}
            · {r.status === 'fulfilled' ? `provided, ${r.entryCount} listed` : `due ${r.currentDueOn}`} · {r.free ? 'free' : dollars(r.feeCents)}
          </Text>
        ))}
      </Stack>
    </div>
  );
}

function RecordDisclosureModal({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const kinds = useDisclosureKinds();
  const record = useRecordDisclosure();
  const [values, setValues] = useState({ disclosedAt: '', name: '', address: '', kind: 'public_health', description: '', purpose: '' });
  const set = (key: keyof typeof values) => (e: { currentTarget: { value: string } }) => setValues({ ...values, [key]: e.currentTarget.value });
  const errors = fieldErrorsFor(record.error, { disclosedAt: 'disclosedAt', name: 'name', address: 'address', kind: 'kind', description: 'description', purpose: 'purpose' });
  const submit = () => {
    record.mutate(
      {
        patientId, disclosedAt: values.disclosedAt ? new Date(values.disclosedAt).toISOString() : '', kind: values.kind,
        recipient: { name: values.name, address: values.address || null }, description: values.description, purpose: values.purpose,
      },
      { onSuccess: onClose },
    );
  };
  const options = kinds.data ?? [];
  return (
    <FormModal title="Record a disclosure" submitLabel="Record disclosure" onClose={onClose} onSubmit={submit} error={record.error} pending={record.isPending}>
          <Text size="sm">For a disclosure made outside Chartroom (a paper report, a phone call). Entries cannot be changed later: a mistake is corrected by a new entry.</Text>
          <TextInput type="datetime-local" label="Disclosed at" required value={values.disclosedAt} onChange={set('disclosedAt')} error={errors.disclosedAt} />
          <TextInput label="Recipient" required value={values.name} onChange={set('name')} error={errors.name} />
          <TextInput label="Recipient's address" value={values.address} onChange={set('address')} error={errors.address} />
          <NativeSelect
            label="Kind of disclosure"
            value={values.kind}
            onChange={set('kind')}
            error={errors.kind}
            data={[
              { group: 'Listed in an accounting', items: options.filter((k) => !k.exempt).map((k) => ({ value: k.code, label: k.label })) },
              { group: 'Not listed (exempt, 164.528(a)(1))', items: options.filter((k) => k.exempt).map((k) => ({ value: k.code, label: k.label })) },
            ]}
          />
          <Textarea label="What was disclosed" required value={values.description} onChange={set('description')} error={errors.description} autosize minRows={2} />
          <Textarea label="Purpose" required value={values.purpose} onChange={set('purpose')} error={errors.purpose} autosize minRows={2} />
    </FormModal>
  );
}

function RequestAccountingModal({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const request = useRequestAccounting();
  const navigate = useNavigate();
  const [receivedOn, setReceivedOn] = useState(localToday());
  const [periodFrom, setPeriodFrom] = useState('');
  const errors = fieldErrorsFor(request.error, { receivedOn: 'receivedOn', periodFrom: 'periodFrom' });
  const submit = () => {
    request.mutate({ patientId, receivedOn, ...(periodFrom ? { periodFrom } : {}) }, { onSuccess: (r) => navigate(`/release/accountings/${encodeURIComponent(r.id)}`) });
  };
  return (
    <FormModal title="Request an accounting of disclosures" submitLabel="Request accounting" size="md" onClose={onClose} onSubmit={submit} error={request.error} pending={request.isPending}>
          <Text size="sm">Due 60 days after receipt. The first accounting in 12 months is free; a later one costs the configured fee, which the patient is told in advance.</Text>
          <TextInput type="date" label="Received on" required value={receivedOn} onChange={(e) => setReceivedOn(e.currentTarget.value)} error={errors.receivedOn} />
          <TextInput type="date" label="From (leave empty for six years)" value={periodFrom} onChange={(e) => setPeriodFrom(e.currentTarget.value)} error={errors.periodFrom} />
    </FormModal>
  );
}
