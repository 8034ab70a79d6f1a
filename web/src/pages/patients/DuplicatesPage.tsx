import { Anchor, Button, Group, Loader, Modal, Paper, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { scanDuplicatesBatch, useDuplicateActions, useDuplicatePairs, type DuplicatePair, type DuplicatePairSide, type DuplicateStatus } from '../../api/patients';
import { describeError, ProblemAlert } from '../../components/ProblemAlert';
import { fieldErrorsFor } from '../../components/formErrors';
import { PageTitle } from '../../components/PageTitle';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatDateTime } from '../../components/time';
import { MATCH_SCORE_HINT, MatchScore } from './MatchCandidates';
import { formatDay, patientName } from './patient-format';

const TABS: { value: DuplicateStatus; label: string; table: string; empty: string }[] = [
  { value: 'open', label: 'Open', table: 'Suspected duplicates to review', empty: 'No suspected duplicates are waiting. Scan the index to look for more.' },
  { value: 'not_duplicate', label: 'Not duplicates', table: 'Pairs found to be different patients', empty: 'No pair has been marked as two different patients.' },
  { value: 'merged', label: 'Merged', table: 'Merged pairs', empty: 'No pair has been merged yet.' },
];

const FOUND_BY: Record<string, string> = { registration: 'At registration', scan: 'Index scan' };

export const mergeLink = (pair: { a: { id: string }; b: { id: string } }) =>
  `/duplicates/merge?a=${encodeURIComponent(pair.a.id)}&b=${encodeURIComponent(pair.b.id)}`;

/** The HIM supervisor's work queue of records that may be one patient: review, merge, or set apart. */
export function DuplicatesPage() {
  const [tab, setTab] = useState<DuplicateStatus>('open');
  const [notDuplicate, setNotDuplicate] = useState<DuplicatePair | null>(null);
  return (
    <Stack gap="md">
      <PageTitle>Suspected duplicates</PageTitle>
      <Text>
        Pairs of records that may belong to one patient, best match first. Compare each pair field by field: merge it when it is one
        patient, or mark it as two different patients so it is not offered again. {MATCH_SCORE_HINT}
      </Text>
      <ScanPanel />
      <Tabs value={tab} onChange={(value) => setTab((value as DuplicateStatus | null) ?? 'open')} keepMounted={false}>
        <Tabs.List aria-label="Pair status">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            <PairTable status={t.value} label={t.table} empty={t.empty} onNotDuplicate={setNotDuplicate} />
          </Tabs.Panel>
        ))}
      </Tabs>
      <NotDuplicateModal pair={notDuplicate} onClose={() => setNotDuplicate(null)} />
    </Stack>
  );
}

interface ScanState {
  running: boolean;
  scanned: number;
  queued: number;
  finished: boolean;
}

/** Scans the whole index batch by batch (the server answers where to go on), showing the count as it goes. */
function ScanPanel() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ScanState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stopRequested = useRef(false);

  const scan = async () => {
    stopRequested.current = false;
    setError(null);
    let progress: ScanState = { running: true, scanned: 0, queued: 0, finished: false };
    setState(progress);
    let after: string | null = null;
    try {
      do {
        const batch = await scanDuplicatesBatch(after);
        after = batch.nextAfterId;
        progress = { ...progress, scanned: progress.scanned + batch.scanned, queued: progress.queued + batch.queued };
        setState(progress);
      } while (after && !stopRequested.current);
      progress = { ...progress, running: false, finished: after === null };
    } catch (caught) {
      setError(caught);
      progress = { ...progress, running: false };
    }
    setState(progress);
    await queryClient.invalidateQueries({ queryKey: ['duplicates'] });
  };

  const words = (s: ScanState) =>
    `${s.scanned.toLocaleString()} ${s.scanned === 1 ? 'record' : 'records'} checked, ${s.queued.toLocaleString()} new ${s.queued === 1 ? 'pair' : 'pairs'} queued`;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="scan-heading">
      <Title order={2} size="h4" id="scan-heading" mb="xs">
        Scan the index
      </Title>
      <Group gap="sm">
        <Button onClick={() => void scan()} loading={state?.running} variant="outline">
          Scan the index
        </Button>
        {state?.running && (
          <Button variant="subtle" onClick={() => (stopRequested.current = true)}>
            Stop
          </Button>
        )}
        <Text size="sm" role="status" data-testid="scan-status">
          {state === null
            ? 'Compares every active record with its likely matches and queues new suspected pairs.'
            : state.running
              ? `Scanning… ${words(state)}.`
              : state.finished
                ? `Scan finished: ${words(state)}.`
                : `Scan stopped: ${words(state)}.`}
        </Text>
      </Group>
      {error ? (
        <Text size="sm" c="red.9" mt="xs" role="alert">
          The scan stopped: {describeError(error).detail}
        </Text>
      ) : null}
    </Paper>
  );
}

function PairSide({ side }: { side: DuplicatePairSide }) {
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={`/patients/${encodeURIComponent(side.id)}`} fw={600}>
        {side.mrn}
      </Anchor>
      <Text size="sm">{patientName(side)}</Text>
      <Text size="sm">born {formatDay(side.birthDate)}</Text>
    </Stack>
  );
}

function PairTable({ status, label, empty, onNotDuplicate }: { status: DuplicateStatus; label: string; empty: string; onNotDuplicate(pair: DuplicatePair): void }) {
  const pairs = useDuplicatePairs(status);
  if (pairs.isPending) return <Loader role="status" aria-label="Loading suspected duplicates" />;
  if (pairs.error) return <ProblemAlert error={pairs.error} />;
  if (pairs.data.length === 0) return <Text role="status">{empty}</Text>;
  return (
    <ScrollableTable label={label} minWidth={900}>
      <Table striped aria-label={label} data-testid={`pairs-${status}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Match</Table.Th>
            <Table.Th scope="col">Record A</Table.Th>
            <Table.Th scope="col">Record B</Table.Th>
            <Table.Th scope="col">Found</Table.Th>
            <Table.Th scope="col">{status === 'open' ? 'Decide' : 'Decided'}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pairs.data.map((pair) => (
            <Table.Tr key={pair.id} data-testid={`pair-${pair.a.mrn}-${pair.b.mrn}`}>
              <Table.Td>
                <MatchScore grade={pair.grade} score={pair.score} fields={pair.fields} />
              </Table.Td>
              <Table.Td>
                <PairSide side={pair.a} />
              </Table.Td>
              <Table.Td>
                <PairSide side={pair.b} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{FOUND_BY[pair.foundBy] ?? pair.foundBy}</Text>
                <Text size="sm">{formatDateTime(pair.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                {status === 'open' ? (
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" component={Link} to={mergeLink(pair)} aria-label={`Compare and merge ${pair.a.mrn} and ${pair.b.mrn}`}>
                      Compare and merge
                    </Button>
                    <Button size="xs" variant="default" onClick={() => onNotDuplicate(pair)} aria-label={`Not a duplicate: ${pair.a.mrn} and ${pair.b.mrn}`}>
                      Not a duplicate
                    </Button>
                  </Group>
                ) : (
                  <Stack gap={0}>
                    <Text size="sm">
                      {pair.resolvedAt ? formatDateTime(pair.resolvedAt) : ''} {pair.resolvedBy ? `by ${pair.resolvedBy}` : ''}
                    </Text>
                    {pair.note && <Text size="sm">{pair.note}</Text>}
                  </Stack>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function NotDuplicateModal({ pair, onClose }: { pair: DuplicatePair | null; onClose(): void }) {
  const { markNotDuplicate } = useDuplicateActions();
  const form = useForm({
    initialValues: { note: '' },
    validate: { note: (value) => (value.trim() ? null : 'Say how you know these are two different patients.') },
  });
  const close = () => {
    form.reset();
    markNotDuplicate.reset();
    onClose();
  };
  return (
    <Modal opened={pair !== null} onClose={close} title="Not a duplicate" size="lg">
      {pair && (
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            markNotDuplicate.mutate(
              { pairId: pair.id, note: values.note.trim() },
              {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: `${pair.a.mrn} and ${pair.b.mrn} are marked as different patients.` });
                  close();
                },
                onError: (error) => form.setErrors(fieldErrorsFor(error, { note: 'note' })),
              },
            ),
          )}
        >
          <Stack gap="sm">
            <Text>
              <strong>{pair.a.mrn}</strong> {patientName(pair.a)} and <strong>{pair.b.mrn}</strong> {patientName(pair.b)} will not be offered as
              a pair again.
            </Text>
            <ProblemAlert error={markNotDuplicate.error} />
            <Textarea
              label="Note"
              description="How you know they are different people, e.g. “twins: different SSNs, confirmed with mother”."
              required
              autosize
              minRows={2}
              {...form.getInputProps('note')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={markNotDuplicate.isPending}>
                Mark as not a duplicate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
