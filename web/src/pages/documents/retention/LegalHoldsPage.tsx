import { Button, Checkbox, Group, Loader, Modal, Radio, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiRequest } from '../../../api/client';
import type { PatientSearchResult } from '../../../api/patients';
import { retentionApi, type LegalHold } from '../../../api/retention';
import { fieldErrorsFor } from '../../../components/formErrors';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatDateTime } from '../../../components/time';

/** Legal holds on patients' documents: placed for a matter with a reason, released with a reason. */
export function LegalHoldsPage() {
  const [releasing, setReleasing] = useState<LegalHold | null>(null);
  return (
    <Stack gap="md">
      <PageTitle>Legal holds</PageTitle>
      <Text>
        While a hold is in place, the documents it covers cannot be destroyed, amended or marked entered in error. A hold covers all of a
        patient's documents, including those filed later, or the documents you choose.
      </Text>
      <Title order={2} size="h3">Place a legal hold</Title>
      <PlaceHoldForm />
      <Title order={2} size="h3">Holds</Title>
      <Tabs defaultValue="active" keepMounted={false}>
        <Tabs.List aria-label="Hold status">
          <Tabs.Tab value="active">In place</Tabs.Tab>
          <Tabs.Tab value="all">All, with released</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="active" pt="md"><HoldTable active onRelease={setReleasing} /></Tabs.Panel>
        <Tabs.Panel value="all" pt="md"><HoldTable active={false} onRelease={setReleasing} /></Tabs.Panel>
      </Tabs>
      <ReleaseModal hold={releasing} onClose={() => setReleasing(null)} />
    </Stack>
  );
}

function PlaceHoldForm() {
  const queryClient = useQueryClient();
  const [mrn, setMrn] = useState('');
  const [patient, setPatient] = useState<PatientSearchResult | null>(null);
  const [lookupMessage, setLookupMessage] = useState<string | null>(null);
  const [placed, setPlaced] = useState<string | null>(null);
  const form = useForm({
    initialValues: { coverage: 'patient', documentIds: [] as string[], matter: '', reason: '' },
    validate: {
      matter: (v) => (v.trim().length >= 2 ? null : 'Name the matter or case.'),
      reason: (v) => (v.trim().length >= 3 ? null : 'Say why the documents are held.'),
      documentIds: (v, values) => (values.coverage === 'documents' && v.length === 0 ? 'Choose at least one document.' : null),
    },
  });
  const lookup = useMutation({
    mutationFn: () => apiRequest<{ results: PatientSearchResult[] }>('/api/patients', { query: { mrn: mrn.trim() } }).then((b) => b.results),
    onSuccess: (results) => {
      const found = results.find((r) => r.mrn.toUpperCase() === mrn.trim().toUpperCase()) ?? null;
      setPatient(found);
      setLookupMessage(found ? null : 'No patient has that MRN.');
      form.setFieldValue('documentIds', []);
    },
  });
  const documents = useQuery({
    queryKey: ['legal-holds', 'documents', patient?.id],
    queryFn: ({ signal }) => retentionApi.patientDocuments(patient!.id, signal),
    enabled: patient !== null && form.values.coverage === 'documents',
  });
  const place = useMutation({
    mutationFn: (v: typeof form.values) => retentionApi.placeHold({
      patientId: patient!.id, documentIds: v.coverage === 'documents' ? v.documentIds : [], matter: v.matter, reason: v.reason,
    }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['legal-holds'] });
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      setPlaced(`Hold placed for “${answer.hold.matter}” on MRN ${answer.hold.patient.mrn}.`);
      form.reset();
      setPatient(null);
      setMrn('');
    },
    onError: (error) => form.setErrors(fieldErrorsFor(error, { matter: 'matter', reason: 'reason', documentIds: 'documentIds' })),
  });

  return (
    <Stack gap="sm" maw={720}>
      {placed && <Text role="status" c="teal.9">{placed}</Text>}
      <form onSubmit={(e) => { e.preventDefault(); setPlaced(null); if (mrn.trim()) lookup.mutate(); }} aria-label="Find the patient">
        <Group align="flex-end">
          <TextInput label="Patient's MRN" value={mrn} onChange={(e) => setMrn(e.currentTarget.value)} error={lookupMessage} />
          <Button type="submit" variant="default" loading={lookup.isPending}>Find patient</Button>
        </Group>
      </form>
      <ProblemAlert error={lookup.error} />
      {patient && (
        <form onSubmit={form.onSubmit((v) => place.mutate(v))} noValidate aria-label="Place a legal hold">
          <Stack gap="sm">
            <Text fw={600}>{patient.family.toUpperCase()}, {patient.given} — MRN {patient.mrn}, born {patient.birthDate}</Text>
            <Radio.Group label="The hold covers" {...form.getInputProps('coverage')}>
              <Stack gap={4} mt={4}>
                <Radio value="patient" label="All of the patient's documents, including those filed later" />
                <Radio value="documents" label="The documents I choose" />
              </Stack>
            </Radio.Group>
            {form.values.coverage === 'documents' && (
              documents.isPending ? <Loader role="status" aria-label="Loading the patient's documents" />
              : documents.error ? <ProblemAlert error={documents.error} />
              : (
                <Checkbox.Group label="Documents" {...form.getInputProps('documentIds')}>
                  <Stack gap={4} mt={4}>
                    {documents.data.length === 0 && <Text>The patient has no documents.</Text>}
                    {documents.data.map((d) => (
                      <Checkbox key={d.id} value={d.id} label={`${d.type.display}, ${d.serviceDate}${d.title ? ` — ${d.title}` : ''}${d.status === 'destroyed' ? ' (destroyed)' : ''}`} />
                    ))}
                  </Stack>
                </Checkbox.Group>
              )
            )}
            <TextInput label="Matter or case" withAsterisk {...form.getInputProps('matter')} />
            <Textarea label="Reason" withAsterisk autosize minRows={2} {...form.getInputProps('reason')} />
            <ProblemAlert error={place.error} />
            <Group><Button type="submit" loading={place.isPending}>Place legal hold</Button></Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

function HoldTable({ active, onRelease }: { active: boolean; onRelease(hold: LegalHold): void }) {
  const holds = useQuery({ queryKey: ['legal-holds', active], queryFn: ({ signal }) => retentionApi.holds(active, signal) });
  if (holds.isPending) return <Loader role="status" aria-label="Loading legal holds" />;
  if (holds.error) return <ProblemAlert error={holds.error} />;
  if (holds.data.length === 0) return <Text role="status">{active ? 'No legal hold is in place.' : 'No legal holds yet.'}</Text>;
  const label = active ? 'Legal holds in place' : 'All legal holds';
  return (
    <ScrollableTable label={label} minWidth={960}>
      <Table striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Matter</Table.Th>
            <Table.Th scope="col">Covers</Table.Th>
            <Table.Th scope="col">Placed</Table.Th>
            <Table.Th scope="col">Reason</Table.Th>
            <Table.Th scope="col">Released</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {holds.data.map((h) => (
            <Table.Tr key={h.id}>
              <Table.Td>{h.patient.name} (MRN {h.patient.mrn})</Table.Td>
              <Table.Td>{h.matter}</Table.Td>
              <Table.Td>{h.scope === 'patient' ? 'All documents' : `${h.documentIds.length} document(s)`}</Table.Td>
              <Table.Td>{formatDateTime(h.placedAt)} by {h.placedBy}</Table.Td>
              <Table.Td>{h.reason}</Table.Td>
              <Table.Td>
                {h.releasedAt ? `${formatDateTime(h.releasedAt)} by ${h.releasedBy}: ${h.releaseReason}` : (
                  <Button size="xs" variant="default" onClick={() => onRelease(h)} aria-label={`Release hold for ${h.matter}, MRN ${h.patient.mrn}`}>Release</Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function ReleaseModal({ hold, onClose }: { hold: LegalHold | null; onClose(): void }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { reason: '' }, validate: { reason: (v) => (v.trim().length >= 3 ? null : 'Say why the hold ends.') } });
  const release = useMutation({
    mutationFn: (reason: string) => retentionApi.releaseHold(hold!.id, reason),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['legal-holds'] });
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      form.reset();
      onClose();
    },
  });
  return (
    <Modal opened={hold !== null} onClose={onClose} title="Release legal hold">
      <form onSubmit={form.onSubmit((v) => release.mutate(v.reason))} noValidate>
        <Stack gap="sm">
          {hold && <Text>The hold for “{hold.matter}” on MRN {hold.patient.mrn} ends; it stays on record.</Text>}
          <Textarea label="Reason for release" withAsterisk autosize minRows={2} {...form.getInputProps('reason')} />
          <ProblemAlert error={release.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={release.isPending}>Release legal hold</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
