import { Alert, Badge, Button, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { apiRequest } from '../../api/client';
import { isReprocessable, MESSAGE_STATUSES, type MessageDetail, type MessagePage, type MessageStatus, type MessageSummary } from '../../api/interfaces';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { ShortId } from '../../components/ShortId';
import { formatCompactDateTime, formatFullTime } from '../../components/time';

const PAGE_SIZE = 50;

interface Filters {
  status: string;
  type: string;
  controlId: string;
  fromDate: string;
  toDate: string;
}
const NO_FILTERS: Filters = { status: '', type: '', controlId: '', fromDate: '', toDate: '' };

const STATUS_LABELS: Record<MessageStatus, { label: string; color: string }> = {
  processed: { label: 'Processed', color: 'teal.9' },
  error: { label: 'Error', color: 'red.9' },
  held: { label: 'Held', color: 'violet.9' },
  duplicate: { label: 'Duplicate', color: 'gray.8' },
  rejected: { label: 'Rejected', color: 'red.9' },
};

/** The HL7 v2 interface monitor: what arrived, what failed or waits, and correcting and reprocessing it. */
export function InterfaceMonitorPage() {
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const form = useForm<Filters>({ initialValues: NO_FILTERS });
  const query = {
    status: applied.status || undefined,
    type: applied.type.trim().toUpperCase() || undefined,
    controlId: applied.controlId.trim() || undefined,
    from: applied.fromDate || undefined,
    to: applied.toDate || undefined,
    limit: PAGE_SIZE,
    offset,
  };
  const messages = useQuery({
    queryKey: ['hl7-messages', query],
    queryFn: ({ signal }) => apiRequest<MessagePage>('/api/interfaces/hl7/messages', { query, signal }),
  });
  const rows = messages.data?.messages ?? [];
  const total = messages.data?.total ?? 0;

  return (
    <Stack gap="md">
      <PageTitle>Interfaces</PageTitle>
      <Text>HL7 v2 ADT messages received over MLLP, newest first. Open a failed or held message to correct and reprocess it.</Text>

      <Paper
        withBorder
        p="md"
        component="form"
        aria-label="Filter messages"
        onSubmit={form.onSubmit((values) => {
          setOffset(0);
          setApplied(values);
        })}
        noValidate
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <NativeSelect
            label="Status"
            data={[{ value: '', label: 'Any status' }, ...MESSAGE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s].label }))]}
            {...form.getInputProps('status')}
          />
          <TextInput label="Type" description="A trigger (A01) or type^trigger (ADT^A01)" autoComplete="off" {...form.getInputProps('type')} />
          <TextInput label="Control ID" description="MSH-10, exactly" autoComplete="off" {...form.getInputProps('controlId')} />
          <TextInput type="date" label="Received from" {...form.getInputProps('fromDate')} />
          <TextInput type="date" label="Received to" {...form.getInputProps('toDate')} />
        </SimpleGrid>
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
            onClick={() => {
              form.setValues(NO_FILTERS);
              setOffset(0);
              setApplied(NO_FILTERS);
            }}
          >
            Clear filters
          </Button>
        </Group>
      </Paper>

      <ProblemAlert error={messages.error} />

      {messages.isPending ? (
        <Loader role="status" aria-label="Loading messages" />
      ) : rows.length === 0 ? (
        <Text role="status">No messages match these filters.</Text>
      ) : (
        <>
          <Text size="sm" role="status">
            Showing {offset + 1}–{offset + rows.length} of {total} {total === 1 ? 'message' : 'messages'}.
          </Text>
          <ScrollableTable label="Messages" minWidth={1100}>
            <Table striped aria-label="Messages" data-testid="hl7-messages">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Received</Table.Th>
                  <Table.Th scope="col">Control ID</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col" miw={260}>
                    Error
                  </Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((m) => (
                  <MessageRow key={m.id} message={m} onOpen={() => setOpenId(m.id)} />
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
          <Group gap="sm">
            <Button variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
              Previous page
            </Button>
            <Button variant="default" disabled={offset + rows.length >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
              Next page
            </Button>
          </Group>
        </>
      )}

      {openId && <MessagePanel id={openId} onReplaced={setOpenId} />}
    </Stack>
  );
}

function MessageRow({ message: m, onOpen }: { message: MessageSummary; onOpen: () => void }) {
  const status = STATUS_LABELS[m.status];
  return (
    <Table.Tr data-status={m.status}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={m.receivedAt} title={formatFullTime(m.receivedAt)}>
          {formatCompactDateTime(m.receivedAt)}
        </time>
      </Table.Td>
      <Table.Td>{m.controlId ?? '—'}</Table.Td>
      <Table.Td>{[m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ') || '—'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{m.messageType ? `${m.messageType}^${m.triggerEvent ?? ''}` : '—'}</Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Badge color={status.color} variant="filled" miw="max-content">
            {status.label}
          </Badge>
          {m.replacedBy && <Text size="xs">Corrected</Text>}
        </Stack>
      </Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        {m.errorText ? `${m.errorCode ? `${m.errorCode} ` : ''}${m.errorLocation ? `at ${m.errorLocation}: ` : ''}${m.errorText}` : ''}
      </Table.Td>
      <Table.Td>{m.patientId ? <ShortId id={m.patientId} /> : '—'}</Table.Td>
      <Table.Td>
        <Button size="xs" variant="outline" onClick={onOpen} aria-label={`Open message ${m.controlId ?? m.id}`}>
          Open
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** One message: its text (reading it is audited), its error and warnings, and for a supervisor correction and reprocessing. */
function MessagePanel({ id, onReplaced }: { id: string; onReplaced: (id: string) => void }) {
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['hl7-message', id],
    queryFn: ({ signal }) => apiRequest<MessageDetail>(`/api/interfaces/hl7/messages/${id}`, { signal }),
  });
  const [text, setText] = useState('');
  const original = detail.data?.raw.replace(/\r/g, '\n') ?? '';
  useEffect(() => setText(original), [original]);
  const reprocess = useMutation({
    mutationFn: () =>
      apiRequest<{ message: MessageSummary }>(`/api/interfaces/hl7/messages/${id}/reprocess`, {
        method: 'POST',
        body: text === original ? {} : { raw: text },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['hl7-messages'] }),
    onSuccess: ({ message }) => onReplaced(message.id),
  });
  const m = detail.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="message-heading">
      {detail.isPending ? (
        <Loader role="status" aria-label="Loading the message" />
      ) : !m ? (
        <ProblemAlert error={detail.error} />
      ) : (
        <Stack gap="sm">
          <Title order={2} size="h3" id="message-heading">
            Message {m.controlId ?? ''} ({STATUS_LABELS[m.status].label})
          </Title>
          {m.errorText && (
            <Alert color={m.status === 'held' ? 'violet' : 'red'} title={m.status === 'held' ? 'Held' : 'Refused'}>
              {m.errorCode && `HL7 error ${m.errorCode}`}
              {m.errorLocation && ` at ${m.errorLocation}`}
              {(m.errorCode || m.errorLocation) && ': '}
              {m.errorText}
            </Alert>
          )}
          {m.replacedBy && (
            <Text>
              Corrected by {m.correctedBy ?? 'a supervisor'}; reprocessed as <ShortId id={m.replacedBy} />.
            </Text>
          )}
          {(m.parsed?.warnings ?? []).length > 0 && (
            <Stack gap={2}>
              <Text fw={600}>Values left out</Text>
              <ul style={{ margin: 0 }}>
                {m.parsed!.warnings!.map((w, i) => (
                  <li key={i}>
                    {w.location}: {w.text}
                  </li>
                ))}
              </ul>
            </Stack>
          )}
          <Textarea
            label="Message text (HL7)"
            description={isReprocessable(m) ? 'Correct the message here, then reprocess it. The original is kept as it arrived.' : undefined}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            readOnly={!isReprocessable(m)}
            autosize
            minRows={6}
            maxRows={20}
            styles={{ input: { fontFamily: 'monospace', whiteSpace: 'pre', overflowX: 'auto' } }}
          />
          <ProblemAlert error={reprocess.error} />
          {isReprocessable(m) && (
            <Group>
              <Button onClick={() => reprocess.mutate()} loading={reprocess.isPending}>
                {text === original ? 'Reprocess' : 'Reprocess corrected message'}
              </Button>
            </Group>
          )}
          {reprocess.isSuccess && <Text role="status">Reprocessed: {STATUS_LABELS[reprocess.data.message.status].label}.</Text>}
        </Stack>
      )}
    </Paper>
  );
}
