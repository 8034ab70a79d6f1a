import { Alert, Anchor, Button, Group, List, Loader, Paper, Radio, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useDuplicateActions, useMergePreview, usePatient, type FieldSource, type MergePreview, type Patient } from '../../api/patients';
import { fieldErrorsFor } from '../../components/formErrors';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { FIELD_LABELS, fieldLabel } from './demographic-codes';
import { FieldAgreement, MatchScore } from './MatchCandidates';
import { PatientBadges } from './PatientBanner';
import { formatDay, patientName } from './patient-format';
import { describeValue } from './value-text';

const SOURCE_LABELS: Record<FieldSource, string> = { survivor: 'Surviving record', retired: 'Retired record', both: 'Both records', neither: '' };
const KEPT = { background: 'var(--mantine-color-teal-0)', boxShadow: 'inset 4px 0 0 var(--mantine-color-teal-9)' };

/**
 * The record with the older MRN survives by default: MRNs are issued in sequence, and the older one
 * is on most of the paper and in other systems.
 */
const olderOf = (a: Patient, b: Patient) => (a.mrn.length < b.mrn.length || (a.mrn.length === b.mrn.length && a.mrn <= b.mrn) ? a : b);

/** Two records side by side, what a merge would keep field by field, and the merge itself. */
export function MergePage() {
  const [params] = useSearchParams();
  const aId = params.get('a') ?? '';
  const bId = params.get('b') ?? '';
  const a = usePatient(aId);
  const b = usePatient(bId);

  if (!aId || !bId) {
    return (
      <Stack gap="sm">
        <PageTitle>Compare and merge</PageTitle>
        <Text>
          Choose a pair from the{' '}
          <Anchor component={Link} to="/duplicates">
            suspected duplicates
          </Anchor>
          .
        </Text>
      </Stack>
    );
  }
  if (a.isPending || b.isPending) return <Loader role="status" aria-label="Loading the two records" />;
  if (a.error || b.error) {
    return (
      <Stack gap="sm">
        <PageTitle>Compare and merge</PageTitle>
        <ProblemAlert error={a.error ?? b.error} />
      </Stack>
    );
  }
  return <MergeForm key={`${aId}:${bId}`} a={a.data} b={b.data} />;
}

function MergeForm({ a, b }: { a: Patient; b: Patient }) {
  const navigate = useNavigate();
  const { merge } = useDuplicateActions();
  const [survivorId, setSurvivorId] = useState(() => olderOf(a, b).id);
  const survivor = survivorId === a.id ? a : b;
  const retired = survivorId === a.id ? b : a;
  const preview = useMergePreview(survivor.id, retired.id);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim() ? null : 'Say why these records are the same patient.') },
  });
  useEffect(() => merge.reset(), [survivorId]); // eslint-disable-line react-hooks/exhaustive-deps

  const problems = preview.data?.problems ?? [];
  const blocked = problems.length > 0 || !preview.data || preview.isPlaceholderData;

  const submit = (values: { reason: string }) =>
    merge.mutate(
      { survivorId: survivor.id, retiredId: retired.id, reason: values.reason.trim() },
      {
        onSuccess: ({ survivor: after }) => {
          notifications.show({ color: 'green', message: `Merged MRN ${retired.mrn} into MRN ${after.mrn}.` });
          void navigate(`/patients/${encodeURIComponent(after.id)}`);
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, { reason: 'reason' })),
      },
    );

  const older = olderOf(a, b).id;
  const sides = [
    { patient: a, letter: 'A' },
    { patient: b, letter: 'B' },
  ];
  const choice = (p: Patient, letter: string) =>
    `Record ${letter}: MRN ${p.mrn} — ${patientName(p)}, born ${formatDay(p.birthDate)}, registered ${formatDay(p.createdAt.slice(0, 10))}${p.id === older ? ' (older)' : ''}`;

  return (
    <Stack gap="md">
      <PageTitle>Compare and merge</PageTitle>
      <Text>
        <Anchor component={Link} to="/duplicates">
          Back to suspected duplicates
        </Anchor>
      </Text>
      <Paper withBorder p="md" component="section" aria-labelledby="survivor-heading">
        <Title order={2} size="h4" id="survivor-heading" mb="xs">
          Which record survives?
        </Title>
        <Radio.Group
          value={survivorId}
          onChange={setSurvivorId}
          label="Surviving record"
          description="The surviving record keeps its MRN. The other is retired: its MRN still finds the surviving record, and everything filed under it moves over."
        >
          <Stack gap="xs" mt="xs">
            {sides.map(({ patient, letter }) => (
              <Group key={patient.id} gap="sm" wrap="nowrap">
                <Radio value={patient.id} label={choice(patient, letter)} />
                <PatientBadges patient={patient} />
              </Group>
            ))}
          </Stack>
        </Radio.Group>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="comparison-heading">
        <Title order={2} size="h4" id="comparison-heading" mb="xs">
          Field by field
        </Title>
        <Text size="sm" mb="sm">
          The surviving record's values win; a value only the retired record has fills the gap; lists are joined. The value kept is
          highlighted. Fields blank in both records are not shown.
        </Text>
        <ProblemAlert error={preview.error} />
        {preview.isPending ? (
          <Loader role="status" aria-label="Comparing the records" />
        ) : (
          preview.data && (
            <Stack gap="sm">
              <Stack gap={6} data-testid="pair-match">
                <Text size="sm" fw={700}>
                  How alike the records are
                </Text>
                <MatchScore grade={preview.data.match.grade} score={preview.data.match.score} fields={preview.data.match.fields} />
                <FieldAgreement fields={preview.data.match.fields} />
              </Stack>
              <ComparisonTable preview={preview.data} />
            </Stack>
          )
        )}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="merge-heading">
        <Title order={2} size="h4" id="merge-heading" mb="xs">
          Merge
        </Title>
        {problems.length > 0 && (
          <Alert color="red" variant="light" title="These records cannot be merged" role="alert" mb="sm">
            <List size="sm">
              {problems.map((problem) => (
                <List.Item key={problem}>{problem}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <form noValidate onSubmit={form.onSubmit(submit)}>
          <Stack gap="sm">
            <ProblemAlert error={merge.error} />
            <Textarea
              label="Reason for the merge"
              description="How you know these are one patient, e.g. “same SSN and address; registration typo in birth date”."
              required
              autosize
              minRows={2}
              {...form.getInputProps('reason')}
            />
            <Group>
              <Button type="submit" color="red.9" disabled={blocked} loading={merge.isPending}>
                Merge MRN {retired.mrn} into MRN {survivor.mrn}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

const FIELD_ORDER = Object.keys(FIELD_LABELS);

function ComparisonTable({ preview }: { preview: MergePreview }) {
  const fields = Object.entries(preview.sources)
    .filter(([, source]) => source !== 'neither')
    .map(([field]) => field)
    .sort((x, y) => (FIELD_ORDER.indexOf(x) + 1 || 999) - (FIELD_ORDER.indexOf(y) + 1 || 999));
  const survivor = preview.survivor as unknown as Record<string, unknown>;
  const retired = preview.retired as unknown as Record<string, unknown>;
  const merged = preview.merged as unknown as Record<string, unknown>;
  return (
    <ScrollableTable label="Field by field comparison" minWidth={960}>
      <Table aria-label="Field by field comparison" layout="fixed" data-testid="merge-comparison">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="14%">
              Field
            </Table.Th>
            <Table.Th scope="col">Surviving: MRN {preview.survivor.mrn}</Table.Th>
            <Table.Th scope="col">Retired: MRN {preview.retired.mrn}</Table.Th>
            <Table.Th scope="col">After the merge</Table.Th>
            <Table.Th scope="col" w="12%">
              Kept from
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((field) => {
            const source = preview.sources[field];
            const fromSurvivor = source === 'survivor' || source === 'both';
            const fromRetired = source === 'retired' || source === 'both';
            return (
              <Table.Tr key={field} data-field={field} data-source={source}>
                <Table.Th scope="row">{fieldLabel(field)}</Table.Th>
                <Table.Td style={fromSurvivor ? KEPT : undefined}>
                  <Lines lines={describeValue(field, survivor[field])} />
                </Table.Td>
                <Table.Td style={fromRetired ? KEPT : undefined}>
                  <Lines lines={describeValue(field, retired[field])} />
                </Table.Td>
                <Table.Td>
                  <Lines lines={describeValue(field, merged[field])} />
                </Table.Td>
                <Table.Td>{SOURCE_LABELS[source]}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}

function Lines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={2}>
      {lines.map((line, index) => (
        <Text key={`${index}:${line}`} size="sm">
          {line}
        </Text>
      ))}
    </Stack>
  );
}
