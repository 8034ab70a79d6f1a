import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { downloadLinksOf, revokeDownloadLink, STATUS_LABELS, type DownloadLink } from '../../../api/release-delivery';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatUtc } from '../../../components/time';

export const downloadLinksKey = (patientId: string) => ['release', 'download-links', patientId];

const STATUS_COLORS: Record<DownloadLink['status'], string> = { active: 'teal.9', expired: 'gray.7', 'used-up': 'gray.7', locked: 'red.9', revoked: 'red.9' };

/** A patient's secure download links, with their status and a way to withdraw an active one. */
export function DownloadLinksPanel({ patientId, canRevoke }: { patientId: string; canRevoke: boolean }) {
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: downloadLinksKey(patientId), queryFn: () => downloadLinksOf(patientId) });
  const [revoking, setRevoking] = useState<DownloadLink | undefined>();
  const revoke = useMutation({
    mutationFn: (id: string) => revokeDownloadLink(id),
    onSuccess: () => {
      setRevoking(undefined);
      void queryClient.invalidateQueries({ queryKey: downloadLinksKey(patientId) });
    },
  });

  return (
    <Stack gap="sm" component="section" aria-labelledby="download-links-heading">
      <Title order={2} size="h3" id="download-links-heading">
        Secure download links
      </Title>
      <ProblemAlert error={links.error} />
      {links.data?.length === 0 && <Text c="dimmed">No links sent for this patient yet.</Text>}
      {links.data && links.data.length > 0 && (
        <ScrollableTable label="Links sent" minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Sent to</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Downloads</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Sent by</Table.Th>
                {canRevoke && <Table.Th>Action</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {links.data.map((link) => (
                <Table.Tr key={link.id}>
                  <Table.Td>{link.fileName}</Table.Td>
                  <Table.Td>{link.recipientEmail ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[link.status]} variant="filled">
                      {STATUS_LABELS[link.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {link.downloads} of {link.maxDownloads}
                    {link.failedAttempts > 0 && ` (${link.failedAttempts} wrong passcode${link.failedAttempts === 1 ? '' : 's'})`}
                  </Table.Td>
                  <Table.Td>{formatUtc(link.expiresAt)}</Table.Td>
                  <Table.Td>{link.createdBy}</Table.Td>
                  {canRevoke && (
                    <Table.Td>
                      {link.status === 'active' && (
                        <Button size="xs" color="red" variant="light" onClick={() => setRevoking(link)} aria-label={`Revoke the link for ${link.fileName}`}>
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
      <ConfirmModal
        opened={revoking !== undefined}
        title="Revoke this link?"
        message="The recipient will no longer be able to download the file. You can send a new link afterwards."
        confirmLabel="Revoke link"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(undefined)}
      />
    </Stack>
  );
}
