import { Anchor, Button, Group, Loader, Modal, Stack, Table, Tabs, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { retentionApi, type Destruction, type DestructionStatus } from '../../../api/retention';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatDateTime } from '../../../components/time';

const LABELS: Record<DestructionStatus, string> = { proposed: 'Waiting for approval', approved: 'Destroyed', rejected: 'Rejected' };

/** Destruction proposals: approval by a second supervisor, rejection with a reason, certificates. */
export function DestructionsSection({ supervisor }: { supervisor: boolean }) {
  const [tab, setTab] = useState<DestructionStatus>('proposed');
  const [approving, setApproving] = useState<Destruction | null>(null);
  const [rejecting, setRejecting] = useState<Destruction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const approve = useMutation({
    mutationFn: (id: string) => retentionApi.approve(id),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      setApproving(null);
      setDone(`Destroyed ${answer.destruction.documents.length} document(s); certificate ${answer.destruction.certificateNumber}.`);
    },
  });
  return (
    <Stack gap="sm">
      {done && <Text role="status" c="teal.9">{done}</Text>}
      <Tabs value={tab} onChange={(v) => setTab((v as DestructionStatus | null) ?? 'proposed')} keepMounted={false}>
        <Tabs.List aria-label="Destruction status">
          {(Object.keys(LABELS) as DestructionStatus[]).map((s) => <Tabs.Tab key={s} value={s}>{LABELS[s]}</Tabs.Tab>)}
        </Tabs.List>
        {(Object.keys(LABELS) as DestructionStatus[]).map((s) => (
          <Tabs.Panel key={s} value={s} pt="md">
            <DestructionTable status={s} supervisor={supervisor} onApprove={(d) => { approve.reset(); setApproving(d); }} onReject={setRejecting} />
          </Tabs.Panel>
        ))}
      </Tabs>
      <ConfirmModal
        opened={approving !== null}
        title="Approve destruction"
        message={approving ? `The content of ${approving.documents.length} document(s) will be destroyed for good and a certificate of destruction kept.` : ''}
        confirmLabel="Destroy documents"
        pending={approve.isPending}
        error={approve.error}
        onConfirm={() => approving && approve.mutate(approving.id)}
        onClose={() => setApproving(null)}
      />
      <RejectModal destruction={rejecting} onClose={() => setRejecting(null)} />
    </Stack>
  );
}

function DestructionTable({ status, supervisor, onApprove, onReject }: { status: DestructionStatus; supervisor: boolean; onApprove(d: Destruction): void; onReject(d: Destruction): void }) {
  const list = useQuery({ queryKey: ['retention', 'destructions', status], queryFn: ({ signal }) => retentionApi.destructions(status, signal) });
  if (list.isPending) return <Loader role="status" aria-label="Loading destructions" />;
  if (list.error) return <ProblemAlert error={list.error} />;
  if (list.data.length === 0) return <Text role="status">None.</Text>;
  const label = `Destructions: ${LABELS[status].toLowerCase()}`;
  return (
    <ScrollableTable label={label} minWidth={960}>
      <Table striped aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Proposed</Table.Th>
            <Table.Th scope="col">Documents</Table.Th>
            <Table.Th scope="col">Method and reason</Table.Th>
            {status === 'proposed' ? <Table.Th scope="col">Decision</Table.Th> : <Table.Th scope="col">Decided</Table.Th>}
            {status === 'approved' && <Table.Th scope="col">Certificate</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{formatDateTime(d.proposedAt)} by {d.proposedBy}</Table.Td>
              <Table.Td>
                {d.documents.map((doc) => <Text key={doc.id} size="sm">{doc.type.display}, {doc.serviceDate}, MRN {doc.mrn}</Text>)}
              </Table.Td>
              <Table.Td><Text size="sm">{d.method}</Text><Text size="sm">{d.reason}</Text></Table.Td>
              {status === 'proposed' ? (
                <Table.Td>
                  {supervisor ? (
                    <Group gap="xs">
                      <Button size="xs" color="red" onClick={() => onApprove(d)} aria-label={`Approve destruction proposed by ${d.proposedBy} at ${formatDateTime(d.proposedAt)}`}>Approve</Button>
                      <Button size="xs" variant="default" onClick={() => onReject(d)} aria-label={`Reject destruction proposed by ${d.proposedBy} at ${formatDateTime(d.proposedAt)}`}>Reject</Button>
                    </Group>
                  ) : 'Waiting for a supervisor'}
                </Table.Td>
              ) : (
                <Table.Td>{d.decidedAt ? `${formatDateTime(d.decidedAt)} by ${d.decidedBy}` : ''}{d.decisionReason ? `: ${d.decisionReason}` : ''}</Table.Td>
              )}
              {status === 'approved' && (
                <Table.Td>
                  {supervisor && d.certificateNumber ? (
                    <Anchor href={retentionApi.certificateUrl(d.id)} download>Download certificate {d.certificateNumber}</Anchor>
                  ) : d.certificateNumber}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function RejectModal({ destruction, onClose }: { destruction: Destruction | null; onClose(): void }) {
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { reason: '' }, validate: { reason: (v) => (v.trim().length >= 3 ? null : 'Say why the destruction is rejected.') } });
  const reject = useMutation({
    mutationFn: (reason: string) => retentionApi.reject(destruction!.id, reason),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      form.reset();
      onClose();
    },
  });
  return (
    <Modal opened={destruction !== null} onClose={onClose} title="Reject destruction">
      <form onSubmit={form.onSubmit((v) => reject.mutate(v.reason))} noValidate>
        <Stack gap="sm">
          <Textarea label="Reason" withAsterisk autosize minRows={2} {...form.getInputProps('reason')} />
          <ProblemAlert error={reject.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={reject.isPending}>Reject destruction</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
