import { Button, Group, Loader, NumberInput, Select, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { retentionApi, type RetentionRule, type RuleScope } from '../../../api/retention';
import { fieldErrorsFor } from '../../../components/formErrors';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';

const CATEGORIES: Record<string, string> = {
  'clinical-note': 'Clinical notes', report: 'Reports', summary: 'Summaries', 'consent-and-legal': 'Consents and legal', administrative: 'Administrative',
};

interface RuleValues {
  scope: RuleScope;
  appliesTo: string;
  adultYears: number | string;
  majorityAge: number | string;
  minorYearsAfterMajority: number | string;
}

/** The retention rules: the default, then categories and types; supervisors set and remove them. */
export function RulesSection({ editable }: { editable: boolean }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const rules = useQuery({ queryKey: ['retention', 'rules'], queryFn: ({ signal }) => retentionApi.rules(signal) });
  const types = useQuery({ queryKey: ['document-types'], queryFn: ({ signal }) => retentionApi.documentTypes(signal) });
  const form = useForm<RuleValues>({ initialValues: { scope: 'default', appliesTo: '', adultYears: 10, majorityAge: 18, minorYearsAfterMajority: 10 } });
  const save = useMutation({
    mutationFn: (v: RuleValues) => retentionApi.saveRule({
      scope: v.scope, appliesTo: v.scope === 'default' ? '' : v.appliesTo, adultYears: Number(v.adultYears), majorityAge: Number(v.majorityAge), minorYearsAfterMajority: Number(v.minorYearsAfterMajority),
    }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['retention'] });
      setSaved('Rule saved; retention dates are computed again.');
    },
    onError: (error) => { setSaved(null); form.setErrors(fieldErrorsFor(error, { adultYears: 'adultYears', majorityAge: 'majorityAge', minorYearsAfterMajority: 'minorYearsAfterMajority', appliesTo: 'appliesTo' })); },
  });
  const remove = useMutation({
    mutationFn: (id: string) => retentionApi.removeRule(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['retention'] }),
  });
  const describe = (r: RetentionRule) => r.scope === 'default' ? 'Every other document (default)'
    : r.scope === 'category' ? `Category: ${CATEGORIES[r.appliesTo] ?? r.appliesTo}`
    : `Type: ${types.data?.find((t) => t.code === r.appliesTo)?.display ?? r.appliesTo} (${r.appliesTo})`;
  const targets = form.values.scope === 'category'
    ? Object.entries(CATEGORIES).map(([value, label]) => ({ value, label }))
    : (types.data ?? []).map((t) => ({ value: t.code, label: `${t.display} (${t.code})` }));

  if (rules.isPending) return <Loader role="status" aria-label="Loading retention rules" />;
  if (rules.error) return <ProblemAlert error={rules.error} />;
  return (
    <Stack gap="md">
      <Text>
        Adults' documents are kept a number of years after their date of service; a patient who was a minor on the date of service keeps
        them until the age of majority plus some years, or the adult period if that is later. No rule may be shorter than{' '}
        {rules.data.floorYears} years, the federal floor.
      </Text>
      <ScrollableTable label="Retention rules" minWidth={760}>
        <Table striped aria-label="Retention rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Applies to</Table.Th>
              <Table.Th scope="col">Adults: years after service</Table.Th>
              <Table.Th scope="col">Age of majority</Table.Th>
              <Table.Th scope="col">Minors: years after majority</Table.Th>
              <Table.Th scope="col">Changed by</Table.Th>
              {editable && <Table.Th scope="col">Remove</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.rules.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{describe(r)}</Table.Td>
                <Table.Td>{r.adultYears}</Table.Td>
                <Table.Td>{r.majorityAge}</Table.Td>
                <Table.Td>{r.minorYearsAfterMajority}</Table.Td>
                <Table.Td>{r.updatedBy}</Table.Td>
                {editable && (
                  <Table.Td>
                    {r.scope !== 'default' && (
                      <Button size="xs" variant="default" loading={remove.isPending && remove.variables === r.id} onClick={() => remove.mutate(r.id)} aria-label={`Remove rule: ${describe(r)}`}>
                        Remove
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollableTable>
      <ProblemAlert error={remove.error} />
      {editable && (
        <form onSubmit={form.onSubmit((v) => { setSaved(null); save.mutate(v); })} noValidate aria-label="Set a retention rule">
          <Stack gap="sm" maw={640}>
            <Group grow align="flex-start">
              <Select
                label="Rule for"
                allowDeselect={false}
                data={[{ value: 'default', label: 'Every other document (default)' }, { value: 'category', label: 'A category' }, { value: 'type', label: 'A document type' }]}
                {...form.getInputProps('scope')}
                onChange={(v) => { form.setFieldValue('scope', (v as RuleScope) ?? 'default'); form.setFieldValue('appliesTo', ''); }}
              />
              {form.values.scope !== 'default' && (
                <Select label={form.values.scope === 'category' ? 'Category' : 'Document type'} searchable data={targets} {...form.getInputProps('appliesTo')} />
              )}
            </Group>
            <Group grow align="flex-start">
              <NumberInput label="Adults: years after service" min={0} {...form.getInputProps('adultYears')} />
              <NumberInput label="Age of majority" min={0} {...form.getInputProps('majorityAge')} />
              <NumberInput label="Minors: years after majority" min={0} {...form.getInputProps('minorYearsAfterMajority')} />
            </Group>
            <ProblemAlert error={save.error} />
            {saved && <Text role="status" c="teal.9">{saved}</Text>}
            <Group><Button type="submit" loading={save.isPending}>Save rule</Button></Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
