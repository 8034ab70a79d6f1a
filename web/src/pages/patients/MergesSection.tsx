import { Anchor, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { PERMISSIONS } from '../../api/permissions';
import { useDuplicateActions, usePatient, usePatientMerges, type Merge, type Patient } from '../../api/patients';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatDateTime, formatUtc } from '../../components/time';
import { useSession } from '../../session/SessionProvider';

/** The merges this record took part in, newest first; the HIM supervisor can undo one from here. */
export function MergesSection({ patient }: { patient: Patient }) {
  const merges = usePatientMerges(patient.id);
  const { hasPermission } = useSession();
  const [undoing, setUndoing] = useState<Merge | null>(null);
  if (merges.error) return <ProblemAlert error={merges.error} />;
  if (!merges.data || merges.data.length === 0) return null;
  const canUndo = hasPermission(PERMISSIONS.patientsMerge);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="merges-heading">
      <Title order={2} size="h4" id="merges-heading" mb="sm">
        Merges
      </Title>
      <ScrollableTable label="Merges of this record" minWidth={760}>
        <Table striped aria-label="Merges of this record">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">What happened</Table.Th>
              <Table.Th scope="col">By</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              {canUndo && <Table.Th scope="col">Undo</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {merges.data.map((merge) => {
              const survived = merge.survivorId === patient.id;
              return (
                <Table.Tr key={merge.id} data-testid={`merge-${merge.id}`}>
                  <Table.Td>
                    <time dateTime={merge.mergedAt} title={formatUtc(merge.mergedAt)}>
                      {formatDateTime(merge.mergedAt)}
                    </time>
                  </Table.Td>
                  <Table.Td>
                    {survived ? 'Record ' : 'Merged into record '}
                    <OtherRecord id={survived ? merge.retiredId : merge.survivorId} />
                    {survived ? ' merged into this one' : ''}
                  </Table.Td>
                  <Table.Td>{merge.mergedBy}</Table.Td>
                  <Table.Td>{merge.reason}</Table.Td>
                  <Table.Td>
                    {merge.status === 'merged' ? (
                      <Badge color="teal.9" variant="filled">Merged</Badge>
                    ) : (
                      <Text size="sm">
                        Undone {merge.undoneAt ? formatDateTime(merge.undoneAt) : ''} {merge.undoneBy ? `by ${merge.undoneBy}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  {canUndo && (
                    <Table.Td>
                      {merge.status === 'merged' && survived && (
                        <Button size="xs" variant="outline" color="red.9" onClick={() => setUndoing(merge)}>
                          Undo merge
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollableTable>
      <UndoMergeModal merge={undoing} onClose={() => setUndoing(null)} />
    </Paper>
  );
}

/** The other record of a merge, by its MRN, linked. */
function OtherRecord({ id }: { id: string }) {
  const other = usePatient(id);
  return (
    <Anchor component={Link} to={`/patients/${encodeURIComponent(id)}`}>
      {other.data ? `MRN ${other.data.mrn}` : 'another record'}
    </Anchor>
  );
}

function UndoMergeModal({ merge, onClose }: { merge: Merge | null; onClose(): void }) {
  const { undoMerge } = useDuplicateActions();
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim() ? null : 'Say why the merge is undone.') },
  });
  const close = () => {
    form.reset();
    undoMerge.reset();
    onClose();
  };
  return (
    <Modal opened={merge !== null} onClose={close} title="Undo merge" size="lg">
      {merge && (
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            undoMerge.mutate(
              { mergeId: merge.id, reason: values.reason.trim() },
              {
                onSuccess: ({ restored }) => {
                  notifications.show({ color: 'green', message: `Merge undone. MRN ${restored.mrn} is its own record again.` });
                  close();
                },
                onError: (error) => form.setErrors(fieldErrorsFor(error, { reason: 'reason' })),
              },
            ),
          )}
        >
          <Stack gap="sm">
            <Text>
              The retired record comes back as it was before the merge, with its own MRN, and whatever moved to this record goes back to it.
              Changes made to this record since the merge stay.
            </Text>
            <ProblemAlert error={undoMerge.error} />
            <Textarea label="Reason for undoing the merge" required autosize minRows={2} {...form.getInputProps('reason')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red.9" loading={undoMerge.isPending}>
                Undo merge
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
