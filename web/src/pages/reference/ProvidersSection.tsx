import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useProviders, useSaveProvider, type Provider, type ProviderInput } from '../../api/reference-data';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { ActivationButton } from './ActivationButton';

interface ProviderValues {
  family: string;
  given: string;
  credentials: string;
  npi: string;
  code: string;
  specialty: string;
}

const EMPTY: ProviderValues = { family: '', given: '', credentials: '', npi: '', code: '', specialty: '' };
const valuesOf = (p: Provider): ProviderValues => ({
  family: p.family, given: p.given ?? '', credentials: p.credentials ?? '', npi: p.npi ?? '', code: p.code ?? '', specialty: p.specialty ?? '',
});
const inputOf = (v: ProviderValues, active: boolean): ProviderInput => ({
  family: v.family.trim(), given: v.given.trim() || null, credentials: v.credentials.trim() || null, npi: v.npi.trim() || null,
  code: v.code.trim() || null, specialty: v.specialty.trim() || null, active,
});

/** The providers admissions name as admitting and attending: add, correct, deactivate (never delete: old visits name them). */
export function ProvidersSection() {
  const providers = useProviders(true);
  const save = useSaveProvider();
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);

  const setActive = (p: Provider, active: boolean) =>
    save.mutate(
      { id: p.id, input: inputOf(valuesOf(p), active) },
      { onSuccess: () => notifications.show({ color: 'green', message: `${active ? 'Reactivated' : 'Deactivated'} ${p.display}.` }) },
    );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="providers-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="providers-heading">
          Providers
        </Title>
        <Button onClick={() => setEditing('new')}>Add a provider</Button>
      </Group>
      <Stack gap="sm">
        <ProblemAlert error={providers.error ?? (editing ? null : save.error)} />
        {providers.data?.length === 0 && <Text c="dimmed">No providers yet.</Text>}
        {providers.data && providers.data.length > 0 && (
          <ScrollableTable label="Providers table" minWidth={760}>
            <Table striped data-testid="providers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">NPI</Table.Th>
                  <Table.Th scope="col">Code</Table.Th>
                  <Table.Th scope="col">Specialty</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {providers.data.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Th scope="row">{p.display}</Table.Th>
                    <Table.Td>{p.npi ?? '—'}</Table.Td>
                    <Table.Td>{p.code ?? '—'}</Table.Td>
                    <Table.Td>{p.specialty ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge color={p.active ? 'teal.9' : 'gray.7'} variant="filled">
                        {p.active ? 'Active' : 'Inactive'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Button size="compact-sm" variant="default" aria-label={`Edit ${p.display}`} onClick={() => setEditing(p)}>
                          Edit
                        </Button>
                        <ActivationButton size="compact-sm" name={p.display} active={p.active} onToggle={() => setActive(p, !p.active)} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        )}
      </Stack>
      {editing && <ProviderModal provider={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}

function ProviderModal({ provider, onClose }: { provider: Provider | null; onClose(): void }) {
  const save = useSaveProvider();
  const form = useForm<ProviderValues>({
    initialValues: provider ? valuesOf(provider) : EMPTY,
    validate: {
      family: (v) => (v.trim() ? null : 'Give the family name.'),
      npi: (v, values) => (v.trim() || values.code.trim() ? (!v.trim() || /^\d{10}$/.test(v.trim()) ? null : 'An NPI is ten digits.') : 'Give an NPI or a hospital code.'),
    },
  });
  const title = provider ? `Edit ${provider.display}` : 'Add a provider';
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          save.mutate(
            { id: provider?.id, input: inputOf(values, provider?.active ?? true) },
            {
              onSuccess: ({ provider: saved }) => {
                notifications.show({ color: 'green', message: `Saved ${saved.display}.` });
                onClose();
              },
              onError: (error) => form.setErrors(fieldErrorsFor(error, { family: 'family', given: 'given', credentials: 'credentials', npi: 'npi', code: 'code', specialty: 'specialty' })),
            },
          ),
        )}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Family name" required autoComplete="off" data-autofocus {...form.getInputProps('family')} />
            <TextInput label="Given name" autoComplete="off" {...form.getInputProps('given')} />
            <TextInput label="Credentials" description="e.g. MD, DO, NP" autoComplete="off" {...form.getInputProps('credentials')} />
            <TextInput label="Specialty" autoComplete="off" {...form.getInputProps('specialty')} />
            <TextInput label="NPI" description="National Provider Identifier, ten digits" inputMode="numeric" autoComplete="off" {...form.getInputProps('npi')} />
            <TextInput label="Hospital code" description="The hospital's own provider code, if any" autoComplete="off" {...form.getInputProps('code')} />
          </SimpleGrid>
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save provider
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
