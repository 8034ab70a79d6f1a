import { Badge, Button, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { localToday, useRecordSuspension, useSuspensions } from '../../../api/disclosures';
import { fieldErrorsFor } from '../../../components/formErrors';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { ScrollableTable } from '../../../components/ScrollableTable';

/** Health-oversight and law-enforcement agencies' suspensions of the right to an accounting (164.528(a)(2)), for the privacy officer. */
export function SuspensionsPage() {
  const suspensions = useSuspensions();
  return (
    <Stack gap="md">
      <PageTitle>Accounting suspensions</PageTitle>
      <Text>
        While a suspension is in force, an accounting leaves out disclosures to that agency and says nothing of them to the patient. A written
        request suspends for the time it states; an oral one for at most 30 days.
      </Text>
      <NewSuspension />
      <Paper withBorder p="md" component="section" aria-labelledby="suspensions-list">
        <Title order={2} size="h4" id="suspensions-list" mb="sm">
          Suspensions
        </Title>
        {suspensions.isPending ? (
          <Loader size="sm" role="status" aria-label="Loading suspensions" />
        ) : suspensions.error ? (
          <ProblemAlert error={suspensions.error} />
        ) : suspensions.data.length === 0 ? (
          <Text c="dimmed">No suspensions recorded.</Text>
        ) : (
          <ScrollableTable label="Suspensions table" minWidth={760}>
            <Table striped data-testid="suspensions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Agency</Table.Th>
                  <Table.Th scope="col">Form</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">Until</Table.Th>
                  <Table.Th scope="col">Applies to</Table.Th>
                  <Table.Th scope="col">Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {suspensions.data.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      {s.agencyName}{' '}
                      {s.inForce && (
                        <Badge color="yellow.9" variant="filled">
                          In force
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{s.form === 'oral' ? 'Oral' : 'Written'}</Table.Td>
                    <Table.Td>{s.fromDate}</Table.Td>
                    <Table.Td>{s.untilDate}</Table.Td>
                    <Table.Td>{s.patientId ? 'One patient' : 'Every patient'}</Table.Td>
                    <Table.Td>{s.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </Paper>
    </Stack>
  );
}

function NewSuspension() {
  const record = useRecordSuspension();
  const empty = { agencyName: '', form: 'written' as 'written' | 'oral', fromDate: localToday(), untilDate: '', reason: '', patientId: '' };
  const [values, setValues] = useState(empty);
  const set = (key: keyof typeof values) => (e: { currentTarget: { value: string } }) => setValues({ ...values, [key]: e.currentTarget.value });
  const errors = fieldErrorsFor(record.error, { agencyName: 'agencyName', form: 'form', fromDate: 'fromDate', untilDate: 'untilDate', reason: 'reason', patientId: 'patientId' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate({ ...values, patientId: values.patientId.trim() || null }, { onSuccess: () => setValues(empty) });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="suspension-new">
      <Title order={2} size="h4" id="suspension-new" mb="sm">
        Record a suspension
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Agency" required value={values.agencyName} onChange={set('agencyName')} error={errors.agencyName} />
            <NativeSelect label="Form of the request" value={values.form} onChange={set('form')} error={errors.form} data={[{ value: 'written', label: 'Written statement' }, { value: 'oral', label: 'Oral (at most 30 days)' }]} />
            <TextInput type="date" label="From" required value={values.fromDate} onChange={set('fromDate')} error={errors.fromDate} />
            <TextInput type="date" label="Until" required value={values.untilDate} onChange={set('untilDate')} error={errors.untilDate} />
            <TextInput label="Patient id (empty for every patient)" value={values.patientId} onChange={set('patientId')} error={errors.patientId} />
          </SimpleGrid>
          <Textarea label="Reason the agency gave" required value={values.reason} onChange={set('reason')} error={errors.reason} autosize minRows={2} />
          <ProblemAlert error={record.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={record.isPending}>
              Record suspension
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
