import { Button, Fieldset, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import type { ListField, PatientFormValues } from './patient-form-values';

export type PatientForm = UseFormReturnType<PatientFormValues>;

/** One titled part of the registration form (Name, Contact, Insurance ...). */
export function FormSection({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-heading`}>
      <Title order={2} size="h4" id={`${id}-heading`} mb={description ? 4 : 'sm'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      <Stack gap="sm">{children}</Stack>
    </Paper>
  );
}

interface ListRowsProps<Row extends { key: string }> {
  form: PatientForm;
  field: ListField;
  /** A row's name: "Phone" makes legends "Phone 1", "Phone 2" and the button "Add a phone". */
  rowLabel: string;
  addLabel: string;
  emptyText: string;
  newRow(): Row;
  children(index: number, path: (name: string) => string): ReactNode;
}

/**
 * A list the clerk grows and shrinks: each row a fieldset named "Phone 1", "Phone 2" ..., with its
 * own Remove button, and an Add button below. Focus moves to the first input of a new row.
 */
export function ListRows<Row extends { key: string }>({ form, field, rowLabel, addLabel, emptyText, newRow, children }: ListRowsProps<Row>) {
  const rows = form.values[field] as unknown as Row[];
  const add = () => {
    // The row's shape matches the list named by `field`; TypeScript cannot see that through the generic.
    form.insertListItem(field, newRow() as never);
    const index = rows.length;
    // After React has drawn the row: put the cursor in it, as a clerk expects after pressing Add.
    window.setTimeout(() => {
      const fieldset = document.querySelector<HTMLElement>(`[data-list-row="${field}.${index}"]`);
      fieldset?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    }, 0);
  };
  return (
    <Stack gap="sm">
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      )}
      {rows.map((row, index) => (
        <Fieldset key={row.key} legend={`${rowLabel} ${index + 1}`} data-list-row={`${field}.${index}`} variant="filled" p="sm">
          <Stack gap="xs">
            {children(index, (name) => `${field}.${index}.${name}`)}
            <Group justify="flex-end">
              <Button variant="outline" color="red.9" size="xs" onClick={() => form.removeListItem(field, index)} aria-label={`Remove ${rowLabel.toLowerCase()} ${index + 1}`}>
                Remove
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      ))}
      <Group>
        <Button variant="default" size="sm" onClick={add}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}
