import { Alert, Button, Grid, Group, Image, Loader, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { pageImageUrl, useAssignIndexingItem, useIndexingQueue, type IndexingItem } from '../../../api/scanning';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';
import { formatCompactDateTime } from '../../../components/time';
import { DocumentIndexFields } from './document-fields';
import { describePatient, type ChosenPatient } from './PatientPicker';

const pagesText = (i: { firstPage: number; lastPage: number }) => (i.firstPage === i.lastPage ? `page ${i.firstPage}` : `pages ${i.firstPage}–${i.lastPage}`);

/** Scanned pages no cover sheet placed: the clerk looks at each page and says whose it is and what. */
export function IndexingQueuePage() {
  const queue = useIndexingQueue();
  const [chosenId, setChosenId] = useState<string | undefined>();
  const [filed, setFiled] = useState<string | undefined>();
  const chosen = queue.data?.find((i) => i.id === chosenId);
  return (
    <Stack gap="lg">
      <PageTitle>Indexing queue</PageTitle>
      {filed && (
        <Alert color="teal" variant="light" role="status" title="Filed">
          {filed}
        </Alert>
      )}
      {queue.isPending ? (
        <Loader size="sm" role="status" aria-label="Loading the queue" />
      ) : queue.error ? (
        <ProblemAlert error={queue.error} />
      ) : queue.data.length === 0 ? (
        <Text role="status">Nothing waits for indexing.</Text>
      ) : (
        <ScrollableTable label="Pages waiting for indexing" minWidth={700}>
          <Table aria-label="Pages waiting for indexing" data-testid="indexing-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Batch</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">Pages</Table.Th>
                <Table.Th scope="col">Why it waits</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Action</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queue.data.map((item) => (
                <Table.Tr key={item.id} aria-selected={item.id === chosenId}>
                  <Table.Td>{item.batchFileName}</Table.Td>
                  <Table.Td>{formatCompactDateTime(item.receivedAt)}</Table.Td>
                  <Table.Td>{pagesText(item)}</Table.Td>
                  <Table.Td>{item.reason.text}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant={item.id === chosenId ? 'filled' : 'default'} onClick={() => setChosenId(item.id)} aria-label={`Index ${pagesText(item)} of ${item.batchFileName}`}>
                      Index
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
      {chosen && (
        <IndexingPanel
          key={chosen.id}
          item={chosen}
          onFiled={(message) => {
            setFiled(message);
            setChosenId(undefined);
          }}
        />
      )}
    </Stack>
  );
}

function IndexingPanel({ item, onFiled }: { item: IndexingItem; onFiled(message: string): void }) {
  const [page, setPage] = useState(item.firstPage);
  const [patient, setPatient] = useState<ChosenPatient | null>(null);
  const [visit, setVisit] = useState('');
  const [typeCode, setTypeCode] = useState('');
  const [title, setTitle] = useState('');
  const [serviceDate, setServiceDate] = useState(item.receivedAt.slice(0, 10));
  const [missing, setMissing] = useState(false);
  const assign = useAssignIndexingItem();

  const submit = () => {
    if (!patient || !typeCode || !serviceDate) return setMissing(true);
    setMissing(false);
    assign.mutate(
      { itemId: item.id, assignment: { patientId: patient.id, encounterId: visit || null, typeCode, title: title.trim() || null, serviceDate } },
      { onSuccess: () => onFiled(`${pagesText(item)} of ${item.batchFileName} filed to ${describePatient(patient)}.`) },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="indexing-title">
      <Title order={2} size="h4" id="indexing-title" mb="sm">
        Index {pagesText(item)} of {item.batchFileName}
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="xs">
            <Image
              src={pageImageUrl(item.batchId, page)}
              alt={`Scanned page ${page} of ${item.batchFileName}`}
              fit="contain"
              mah={720}
              style={{ border: '1px solid var(--mantine-color-gray-4)' }}
              data-testid="page-image"
            />
            {item.pages > 1 && (
              <Group gap="xs" justify="center">
                <Button size="xs" variant="default" disabled={page <= item.firstPage} onClick={() => setPage(page - 1)}>
                  Previous page
                </Button>
                <Text size="sm" role="status">
                  Page {page} ({page - item.firstPage + 1} of {item.pages})
                </Text>
                <Button size="xs" variant="default" disabled={page >= item.lastPage} onClick={() => setPage(page + 1)}>
                  Next page
                </Button>
              </Group>
            )}
            {item.coverSheetPage && (
              <Text size="sm" c="dimmed">
                The cover sheet in front was page {item.coverSheetPage}: {item.reason.text.toLowerCase()}.
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <form
            aria-label="Index the pages"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <Stack gap="sm">
              <DocumentIndexFields patient={patient} onPatient={setPatient} visit={visit} onVisit={setVisit} typeCode={typeCode} onType={setTypeCode} />
              <TextInput label="Title" description="Optional" value={title} onChange={(event) => setTitle(event.currentTarget.value)} maxLength={200} />
              <TextInput label="Date of service" type="date" required value={serviceDate} onChange={(event) => setServiceDate(event.currentTarget.value)} />
              {missing && (
                <Alert color="red" variant="light" role="alert" title="Please check the form">
                  Choose the patient, the document type and the date of service.
                </Alert>
              )}
              <ProblemAlert error={assign.error} />
              <Group>
                <Button type="submit" loading={assign.isPending}>
                  File document
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}
