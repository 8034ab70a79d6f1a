import { Anchor, Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { BatchDocument, BatchDocumentStatus, ScanBatchReport } from '../../../api/scanning';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatDateTime } from '../../../components/time';

const STATUS: Record<BatchDocumentStatus, { label: string; color: string }> = {
  filed: { label: 'Filed', color: 'teal.9' },
  indexed: { label: 'Indexed by a clerk', color: 'blue.9' },
  'awaiting-indexing': { label: 'Waiting for indexing', color: 'red.9' },
};

const pageRange = (d: { firstPage: number; lastPage: number }) => (d.firstPage === d.lastPage ? `${d.firstPage}` : `${d.firstPage}–${d.lastPage}`);

/** What became of a batch: its pages, the documents made from them, the pages left for indexing. */
export function BatchReport({ batch }: { batch: ScanBatchReport }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="batch-report-title" data-testid="batch-report">
      <Title order={2} size="h4" id="batch-report-title" mb="xs">
        Batch report: {batch.fileName}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Received {formatDateTime(batch.receivedAt)} from {batch.receivedBy}
      </Text>
      <Group gap="xl" mb="sm" data-testid="batch-counts">
        <Count label="Pages" value={batch.pageCount} />
        <Count label="Cover sheets" value={batch.coverSheets} />
        <Count label="Documents made" value={batch.documentsFiled} />
        <Count label="Pages left for indexing" value={batch.pagesAwaiting} />
      </Group>
      {batch.pagesAwaiting > 0 && (
        <Text mb="sm">
          Some pages could not be placed. <Anchor component={Link} to="/indexing">Open the indexing queue</Anchor> to file them.
        </Text>
      )}
      <ScrollableTable label="Documents in the batch" minWidth={760}>
        <Table aria-label="Documents in the batch">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Pages</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Patient</Table.Th>
              <Table.Th scope="col">Visit</Table.Th>
              <Table.Th scope="col">Document type</Table.Th>
              <Table.Th scope="col">Why it waits</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {batch.documents.map((d) => (
              <DocumentRow key={d.id} document={d} />
            ))}
          </Table.Tbody>
        </Table>
      </ScrollableTable>
    </Paper>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" data-testid={`count-${label.toLowerCase().replace(/ /g, '-')}`}>
        {value}
      </Text>
    </div>
  );
}

function DocumentRow({ document: d }: { document: BatchDocument }) {
  return (
    <Table.Tr data-testid={`batch-document-${d.firstPage}`}>
      <Table.Td>{pageRange(d)}</Table.Td>
      <Table.Td>
        <Badge color={STATUS[d.status].color} variant="filled">
          {STATUS[d.status].label}
        </Badge>
      </Table.Td>
      <Table.Td>
        {d.patient ? (
          <Anchor component={Link} to={`/patients/${encodeURIComponent(d.patient.id)}`}>
            {d.patient.name ?? 'Restricted record'} · {d.patient.mrn}
          </Anchor>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>{d.encounter?.visitNumber ?? '—'}</Table.Td>
      <Table.Td>{d.type?.display ?? '—'}</Table.Td>
      <Table.Td>{d.reason?.text ?? ''}</Table.Td>
    </Table.Tr>
  );
}
