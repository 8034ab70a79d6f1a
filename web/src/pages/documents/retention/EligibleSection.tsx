import { Badge, Button, Checkbox, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DEFAULT_METHOD, retentionApi, type EligibleDocument } from '../../../api/retention';
import { fieldErrorsFor } from '../../../components/formErrors';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';

/** Documents past retention and under no hold, a page at a time, to choose from for a destruction proposal. */
export function EligibleSection() {
  const [type, setType] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [proposing, setProposing] = useState(false);
  const [proposed, setProposed] = useState<number | null>(null);
  const types = useQuery({ queryKey: ['document-types'], queryFn: ({ signal }) => retentionApi.documentTypes(signal) });
  const eligible = useQuery({
    queryKey: ['retention', 'eligible', type, page],
    queryFn: ({ signal }) => retentionApi.eligible({ type: type ?? undefined, page }, signal),
  });
  const toggle = (id: string, on: boolean) => setSelected((prev) => {
    const next = new Set(prev);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
  const pages = eligible.data ? Math.max(1, Math.ceil(eligible.data.total / eligible.data.pageSize)) : 1;

  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <Select
          label="Document type"
          placeholder="Any type"
          clearable
          searchable
          data={(types.data ?? []).map((t) => ({ value: t.code, label: `${t.display} (${t.code})` }))}
          value={type}
          onChange={(value) => { setType(value); setPage(1); }}
          w={360}
        />
        <Button disabled={selected.size === 0} onClick={() => { setProposed(null); setProposing(true); }}>
          Propose destruction of {selected.size} selected
        </Button>
      </Group>
      {proposed !== null && (
        <Text role="status" c="teal.9">
          Proposed {proposed} document{proposed === 1 ? '' : 's'} for destruction; a supervisor approves under Destructions.
        </Text>
      )}
      {eligible.isPending ? (
        <Loader role="status" aria-label="Loading eligible documents" />
      ) : eligible.error ? (
        <ProblemAlert error={eligible.error} />
      ) : eligible.data.documents.length === 0 ? (
        <Text role="status">No documents are eligible for destruction.</Text>
      ) : (
        <>
          <ScrollableTable label="Documents eligible for destruction" minWidth={860}>
            <Table striped aria-label="Documents eligible for destruction">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Select</Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Date of service</Table.Th>
                  <Table.Th scope="col">Eligible from</Table.Th>
                  <Table.Th scope="col">Proposal</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {eligible.data.documents.map((d) => (
                  <EligibleRow key={d.id} document={d} checked={selected.has(d.id)} onToggle={(on) => toggle(d.id, on)} />
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
          <Group>
            <Button variant="default" disabled={page <= 1} onClick={() => setPage(page - 1)}>Previous page</Button>
            <Text>Page {page} of {pages} ({eligible.data.total} documents)</Text>
            <Button variant="default" disabled={page >= pages} onClick={() => setPage(page + 1)}>Next page</Button>
          </Group>
        </>
      )}
      <ProposeModal
        documentIds={[...selected]}
        opened={proposing}
        onClose={() => setProposing(false)}
        onProposed={(count) => { setSelected(new Set()); setProposing(false); setProposed(count); }}
      />
    </Stack>
  );
}

function EligibleRow({ document: d, checked, onToggle }: { document: EligibleDocument; checked: boolean; onToggle(on: boolean): void }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Checkbox
          checked={checked}
          disabled={d.proposedIn !== null}
          onChange={(e) => onToggle(e.currentTarget.checked)}
          aria-label={`Select ${d.type.display} of ${d.serviceDate}, MRN ${d.patient.mrn}`}
        />
      </Table.Td>
      <Table.Td>{d.patient.name} (MRN {d.patient.mrn})</Table.Td>
      <Table.Td>{d.type.display}{d.title ? ` — ${d.title}` : ''}</Table.Td>
      <Table.Td>{d.serviceDate}</Table.Td>
      <Table.Td>{d.eligibleFrom}</Table.Td>
      <Table.Td>{d.proposedIn ? <Badge color="gray.7">Proposed</Badge> : ''}</Table.Td>
    </Table.Tr>
  );
}

function ProposeModal({ documentIds, opened, onClose, onProposed }: { documentIds: string[]; opened: boolean; onClose(): void; onProposed(count: number): void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { method: DEFAULT_METHOD, reason: '' },
    validate: {
      method: (v) => (v.trim().length >= 3 ? null : 'Say how the documents will be destroyed.'),
      reason: (v) => (v.trim().length >= 3 ? null : 'Say why, for example the retention schedule being applied.'),
    },
  });
  const propose = useMutation({
    mutationFn: (values: { method: string; reason: string }) => retentionApi.propose({ documentIds, ...values }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      form.reset();
      onProposed(answer.destruction.documents.length);
    },
    onError: (error) => form.setErrors(fieldErrorsFor(error, { method: 'method', reason: 'reason' })),
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Propose destruction">
      <form onSubmit={form.onSubmit((values) => propose.mutate(values))} noValidate>
        <Stack gap="sm">
          <Text>{documentIds.length} document{documentIds.length === 1 ? '' : 's'} will wait for a supervisor's approval.</Text>
          <TextInput label="Method of destruction" withAsterisk {...form.getInputProps('method')} />
          <Textarea label="Reason" withAsterisk autosize minRows={2} {...form.getInputProps('reason')} />
          <ProblemAlert error={propose.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={propose.isPending}>Propose destruction</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
