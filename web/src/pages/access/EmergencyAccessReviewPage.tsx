import { Anchor, Button, Group, Loader, Modal, Stack, Table, Tabs, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, apiRequest } from '../../api/client';
import type { EmergencyAccessGrant } from '../../api/types';
import { fieldErrorsFor } from '../../components/formErrors';
import { PageTitle } from '../../components/PageTitle';
import { ScrollableTable } from '../../components/ScrollableTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ShortId, shortenId } from '../../components/ShortId';
import { formatDateTime, formatFullTime } from '../../components/time';

type GrantStatus = 'pending' | 'reviewed';

/** The privacy officer's review of every "break-the-glass" access (HIPAA 164.312(a)(2)(ii)). */
export function EmergencyAccessReviewPage() {
  const [tab, setTab] = useState<GrantStatus>('pending');
  const [reviewing, setReviewing] = useState<EmergencyAccessGrant | null>(null);

  return (
    <Stack gap="md">
      <PageTitle>Emergency access reviews</PageTitle>
      <Text>
        Each time someone used emergency access to open a patient's record, the reason they gave is listed here until a privacy
        officer reviews it.
      </Text>
      <Tabs value={tab} onChange={(value) => setTab((value as GrantStatus | null) ?? 'pending')} keepMounted={false}>
        <Tabs.List aria-label="Review status">
          <Tabs.Tab value="pending">Waiting for review</Tabs.Tab>
          <Tabs.Tab value="reviewed">Reviewed</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pending" pt="md">
          <GrantTable status="pending" onReview={setReviewing} />
        </Tabs.Panel>
        <Tabs.Panel value="reviewed" pt="md">
          <GrantTable status="reviewed" />
        </Tabs.Panel>
      </Tabs>
      <ReviewModal grant={reviewing} onClose={() => setReviewing(null)} />
    </Stack>
  );
}

function GrantTable({ status, onReview }: { status: GrantStatus; onReview?: (grant: EmergencyAccessGrant) => void }) {
  const grants = useQuery({
    queryKey: ['emergency-access', status],
    queryFn: ({ signal }) =>
      apiRequest<{ grants: EmergencyAccessGrant[] }>('/api/emergency-access', { query: { status }, signal }).then((b) => b.grants),
  });
  if (grants.isPending) return <Loader role="status" aria-label="Loading emergency access grants" />;
  if (grants.error) return <ProblemAlert error={grants.error} />;
  if (grants.data.length === 0) {
    return <Text role="status">{status === 'pending' ? 'No emergency access is waiting for review.' : 'No emergency access has been reviewed yet.'}</Text>;
  }
  return (
    <ScrollableTable label={status === 'pending' ? 'Emergency access waiting for review' : 'Reviewed emergency access'} minWidth={960}>
      <Table striped aria-label={status === 'pending' ? 'Emergency access waiting for review' : 'Reviewed emergency access'}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">User</Table.Th>
            <Table.Th scope="col">Patient</Table.Th>
            <Table.Th scope="col">Reason given</Table.Th>
            <Table.Th scope="col">Granted</Table.Th>
            <Table.Th scope="col">Expires</Table.Th>
            {status === 'reviewed' ? (
              <>
                <Table.Th scope="col">Reviewed</Table.Th>
                <Table.Th scope="col">Reviewed by</Table.Th>
                <Table.Th scope="col">Review note</Table.Th>
              </>
            ) : (
              <Table.Th scope="col">Review</Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grants.data.map((grant) => (
            <Table.Tr key={grant.id}>
              <Table.Td>{grant.username}</Table.Td>
              <Table.Td>
                <Stack gap={2} align="flex-start">
                  <ShortId id={grant.patientId} />
                  <PatientLink patientId={grant.patientId} />
                </Stack>
              </Table.Td>
              <Table.Td>{grant.reason}</Table.Td>
              <Table.Td>
                <Moment iso={grant.grantedAt} />
              </Table.Td>
              <Table.Td>
                <Moment iso={grant.expiresAt} />
                {Date.parse(grant.expiresAt) <= Date.now() && (
                  <Text span size="sm" c="dimmed">
                    {' '}
                    (ended)
                  </Text>
                )}
              </Table.Td>
              {status === 'reviewed' ? (
                <>
                  <Table.Td>{grant.reviewedAt ? <Moment iso={grant.reviewedAt} /> : ''}</Table.Td>
                  <Table.Td>{grant.reviewedBy ?? ''}</Table.Td>
                  <Table.Td>{grant.reviewNote ?? ''}</Table.Td>
                </>
              ) : (
                <Table.Td>
                  <Button size="xs" onClick={() => onReview?.(grant)} aria-label={`Review access by ${grant.username} to patient ${grant.patientId}`}>
                    Review
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

/** The patient's page, which itself decides whether the reviewer may open the record. */
function PatientLink({ patientId }: { patientId: string }) {
  return (
    <Anchor component={Link} to={`/patients/${encodeURIComponent(patientId)}`} size="sm" aria-label={`Open patient ${shortenId(patientId)}`}>
      Open patient
    </Anchor>
  );
}

function Moment({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatFullTime(iso)}>
      {formatDateTime(iso)}
    </time>
  );
}

function ReviewModal({ grant, onClose }: { grant: EmergencyAccessGrant | null; onClose(): void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { note: '' },
    validate: { note: (value) => (value.trim() ? null : 'Write what you found, for the record.') },
  });
  const review = useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      apiRequest<{ grant: EmergencyAccessGrant }>(`/api/emergency-access/${encodeURIComponent(id)}/review`, { method: 'POST', body: { note } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['emergency-access'] });
      close();
    },
    onError: async (error) => {
      form.setErrors(fieldErrorsFor(error, { note: 'note' }));
      // Someone else may have reviewed it meanwhile: show the lists as they are now.
      if (error instanceof ApiError && error.code === 'access.already-reviewed') await queryClient.invalidateQueries({ queryKey: ['emergency-access'] });
    },
  });
  const close = () => {
    form.reset();
    review.reset();
    onClose();
  };

  return (
    <Modal opened={grant !== null} onClose={close} title="Review emergency access" size="lg">
      {grant && (
        <form onSubmit={form.onSubmit((values) => review.mutate({ id: grant.id, note: values.note.trim() }))} noValidate>
          <Stack gap="sm">
            <Text>
              <strong>{grant.username}</strong> opened the record of patient{' '}
              <strong>
                <ShortId id={grant.patientId} />
              </strong>{' '}
              on {formatDateTime(grant.grantedAt)}, giving the reason: “{grant.reason}”. Their emergency access{' '}
              {Date.parse(grant.expiresAt) <= Date.now() ? 'lasted' : 'lasts'} until {formatDateTime(grant.expiresAt)}.
            </Text>
            <ProblemAlert error={review.error} />
            <Textarea label="Review note" autosize minRows={3} required {...form.getInputProps('note')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={review.isPending}>
                Mark as reviewed
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
