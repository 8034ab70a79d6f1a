import { Anchor, Badge, Button, Checkbox, Group, Loader, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { usePatientAmendments, useRequestAmendment, type Amendment } from '../../../api/amendments';
import { apiRequest } from '../../../api/client';
import { localToday } from '../../../api/disclosures';
import { PERMISSIONS } from '../../../api/permissions';
import type { Patient } from '../../../api/patients';
import { fieldErrorsFor } from '../../../components/formErrors';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { useSession } from '../../../session/SessionProvider';
import { FormModal } from '../disclosures/FormModal';

const STATUS: Record<Amendment['status'], { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue.9' },
  accepted: { label: 'Accepted', color: 'teal.9' },
  denied: { label: 'Denied', color: 'red.9' },
};

export function AmendmentStatus({ status }: { status: Amendment['status'] }) {
  return (
    <Badge color={STATUS[status].color} variant="filled">
      {STATUS[status].label}
    </Badge>
  );
}

/** The patient's requests to amend the record, on the summary, with the way to log a new one. */
export function AmendmentsSection({ patient }: { patient: Patient }) {
  const { hasPermission } = useSession();
  const [logging, setLogging] = useState(false);
  const amendments = usePatientAmendments(patient.id);
  if (!hasPermission(PERMISSIONS.releaseRead)) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="summary-amendments">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="summary-amendments">
          Amendments
        </Title>
        {hasPermission(PERMISSIONS.releaseWrite) && patient.status === 'active' && (
          <Button size="sm" variant="default" onClick={() => setLogging(true)}>
            Log an amendment request
          </Button>
        )}
      </Group>
      {amendments.isPending ? (
        <Loader size="sm" role="status" aria-label="Loading amendments" />
      ) : amendments.error ? (
        <ProblemAlert error={amendments.error} />
      ) : amendments.data.length === 0 ? (
        <Text c="dimmed">No amendment requests.</Text>
      ) : (
        <ScrollableTable label="Amendments table" minWidth={700}>
          <Table striped data-testid="amendments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">Request</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {amendments.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/release/amendments/${encodeURIComponent(a.id)}`}>
                      {a.receivedOn}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{a.requestedChange}</Table.Td>
                  <Table.Td>
                    <AmendmentStatus status={a.status} />
                  </Table.Td>
                  <Table.Td>{a.status === 'open' ? a.currentDueOn : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
      {logging && <LogAmendmentModal patientId={patient.id} onClose={() => setLogging(false)} />}
    </Paper>
  );
}

interface DocumentChoice {
  id: string;
  serviceDate: string;
  title: string | null;
  type: { display: string };
}

function LogAmendmentModal({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const request = useRequestAmendment();
  const navigate = useNavigate();
  const documents = useQuery({
    queryKey: ['documents', patientId, 'for-amendment'],
    queryFn: () => apiRequest<{ documents: DocumentChoice[] }>(`/api/patients/${encodeURIComponent(patientId)}/documents`).then((r) => r.documents),
    retry: false,
  });
  const [receivedOn, setReceivedOn] = useState(localToday());
  const [requestedChange, setRequestedChange] = useState('');
  const [documentIds, setDocumentIds] = useState<string[]>([]);
  const errors = fieldErrorsFor(request.error, { receivedOn: 'receivedOn', requestedChange: 'requestedChange' });
  const submit = () => {
    request.mutate({ patientId, receivedOn, requestedChange, documentIds }, { onSuccess: (a) => navigate(`/release/amendments/${encodeURIComponent(a.id)}`) });
  };
  return (
    <FormModal title="Log an amendment request" submitLabel="Log request" onClose={onClose} onSubmit={submit} error={request.error} pending={request.isPending}>
          <Text size="sm">Due 60 days after receipt (one 30-day extension).</Text>
          <TextInput type="date" label="Received on" required value={receivedOn} onChange={(e) => setReceivedOn(e.currentTarget.value)} error={errors.receivedOn} />
          <Textarea label="What the patient asks to change, and why" required value={requestedChange} onChange={(e) => setRequestedChange(e.currentTarget.value)} error={errors.requestedChange} autosize minRows={3} />
          {documents.data && documents.data.length > 0 && (
            <Checkbox.Group label="Documents the request concerns" value={documentIds} onChange={setDocumentIds}>
              <Stack gap={4} mt={4}>
                {documents.data.map((d) => (
                  <Checkbox key={d.id} value={d.id} label={`${d.serviceDate} · ${d.title ?? d.type.display}`} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
    </FormModal>
  );
}
