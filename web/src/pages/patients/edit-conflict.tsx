import { Alert, Badge, Stack, Table, Text } from '@mantine/core';
import type { Patient } from '../../api/patients';
import { ScrollableTable } from '../../components/ScrollableTable';
import { fieldLabel } from './demographic-codes';
import { formValuesOf, type PatientFormValues } from './patient-form-values';
import { describeValue } from './value-text';
import { ValueLines } from './ValueLines';

/** A field someone else changed while the clerk was editing. */
export interface ServerChange {
  field: keyof PatientFormValues;
  /** In words, as the record was when the clerk opened it and as it is saved now. */
  before: string[];
  after: string[];
  /** The clerk changed it too: their value stays in the form, to check before saving. */
  yoursKept: boolean;
}

// Rows carry a random key for React; two rows with the same values are the same row.
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a, (k, v) => (k === 'key' ? undefined : v)) === JSON.stringify(b, (k, v) => (k === 'key' ? undefined : v));

const inWords = (p: Patient, field: keyof PatientFormValues): string[] => {
  if (field === 'ssn') return p.ssnLast4 ? [`On file, ending ${p.ssnLast4}`] : [];
  if (field === 'driversLicence') return p.hasDriversLicence ? ['On file'] : [];
  return describeValue(field, (p as unknown as Record<string, unknown>)[field]);
};

/**
 * After a version conflict: the record as the clerk opened it (`opened`), what they typed (`typed`)
 * and the record as saved now (`saved`), merged field by field. A field only the other person changed
 * takes the saved value; a field only the clerk changed keeps theirs; a field both changed keeps the
 * clerk's, flagged. The sealed SSN and licence are compared by what the record says of them.
 */
export function mergeAfterConflict(opened: Patient, typed: PatientFormValues, saved: Patient): { values: PatientFormValues; changes: ServerChange[] } {
  const base = formValuesOf(opened);
  const now = formValuesOf(saved);
  const values = { ...typed } as Record<keyof PatientFormValues, unknown>;
  const changes: ServerChange[] = [];
  for (const field of Object.keys(base) as (keyof PatientFormValues)[]) {
    const sealedChanged =
      (field === 'ssn' && opened.ssnLast4 !== saved.ssnLast4) || (field === 'driversLicence' && opened.hasDriversLicence !== saved.hasDriversLicence);
    if (sameValue(base[field], now[field]) && !sealedChanged) continue;
    const yoursKept = !sameValue(base[field], typed[field]);
    if (!yoursKept) values[field] = now[field];
    changes.push({ field, before: inWords(opened, field), after: inWords(saved, field), yoursKept });
  }
  return { values: values as PatientFormValues, changes };
}

/** What someone else saved while the clerk was editing: field, before, now, and whether the clerk's own value was kept. */
export function ServerChangesPanel({ changes, version }: { changes: ServerChange[]; version: number }) {
  return (
    <Alert color="blue" variant="light" title={`Saved by someone else while you were editing (now version ${version})`} data-testid="server-changes">
      <Stack gap="xs">
        <Text size="sm">
          Your changes are still in the form. The fields below were changed meanwhile: where you did not touch a field, the form now shows the
          saved value; where you changed it too, your value is kept. Check them, then save again.
        </Text>
        <ScrollableTable label="Changes saved meanwhile" minWidth={560}>
          <Table aria-label="Changes saved meanwhile" layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="22%">
                  Field
                </Table.Th>
                <Table.Th scope="col">When you opened it</Table.Th>
                <Table.Th scope="col">Saved now</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((c) => (
                <Table.Tr key={c.field} data-field={c.field}>
                  <Table.Th scope="row" fw={600}>
                    <Stack gap={4} align="flex-start">
                      {fieldLabel(c.field)}
                      {c.yoursKept && (
                        <Badge color="yellow.4" variant="filled" autoContrast tt="none">
                          You changed this too: your value is kept
                        </Badge>
                      )}
                    </Stack>
                  </Table.Th>
                  <Table.Td>
                    <ValueLines lines={c.before} />
                  </Table.Td>
                  <Table.Td>
                    <ValueLines lines={c.after} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      </Stack>
    </Alert>
  );
}
