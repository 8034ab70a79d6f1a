import { Badge, Loader, Paper, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useScanBatch, useScanBatches, type ScanBatchReport as Report } from '../../../api/scanning';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatCompactDateTime } from '../../../components/time';
import { BatchReport } from './BatchReport';
import { BatchUpload } from './BatchUpload';
import { CoverSheetForm } from './CoverSheetForm';

/** Scanning: print cover sheets, upload a scanned batch and read its report, and the recent batches. */
export function ScanningPage() {
  const [shown, setShown] = useState<string | undefined>();
  const report = useScanBatch(shown);
  return (
    <Stack gap="lg">
      <PageTitle>Scanning</PageTitle>
      <Paper withBorder p="md" component="section" aria-labelledby="cover-sheets-title">
        <Title order={2} size="h4" id="cover-sheets-title" mb="sm">
          Print cover sheets
        </Title>
        <CoverSheetForm />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="upload-title">
        <Title order={2} size="h4" id="upload-title" mb="sm">
          Upload a scanned batch
        </Title>
        <BatchUpload onReport={(batch: Report) => setShown(batch.id)} />
      </Paper>
      {shown && (report.data ? <BatchReport batch={report.data} /> : report.error ? <ProblemAlert error={report.error} /> : <Loader size="sm" role="status" aria-label="Loading the report" />)}
      <RecentBatches onOpen={setShown} />
    </Stack>
  );
}

function RecentBatches({ onOpen }: { onOpen(id: string): void }) {
  const batches = useScanBatches();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="recent-batches-title">
      <Title order={2} size="h4" id="recent-batches-title" mb="sm">
        Recent batches
      </Title>
      {batches.isPending ? (
        <Loader size="sm" role="status" aria-label="Loading batches" />
      ) : batches.error ? (
        <ProblemAlert error={batches.error} />
      ) : batches.data.length === 0 ? (
        <Text c="dimmed">No batches scanned yet.</Text>
      ) : (
        <ScrollableTable label="Table of recent batches" minWidth={700}>
          <Table aria-label="Recent batches" data-testid="recent-batches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">File</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">By</Table.Th>
                <Table.Th scope="col">Pages</Table.Th>
                <Table.Th scope="col">Documents</Table.Th>
                <Table.Th scope="col">Waiting pages</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {batches.data.map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td>
                    <UnstyledButton onClick={() => onOpen(b.id)} td="underline" aria-label={`Show the report of ${b.fileName}`}>
                      {b.fileName}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>{formatCompactDateTime(b.receivedAt)}</Table.Td>
                  <Table.Td>{b.receivedBy}</Table.Td>
                  <Table.Td>{b.pageCount}</Table.Td>
                  <Table.Td>{b.documentsFiled}</Table.Td>
                  <Table.Td>
                    {b.pagesAwaiting > 0 ? (
                      <Badge color="red.9" variant="filled">
                        {b.pagesAwaiting}
                      </Badge>
                    ) : (
                      '0'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
    </Paper>
  );
}
