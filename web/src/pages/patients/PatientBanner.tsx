import { Badge, Group, Image, Paper, Stack, Text } from '@mantine/core';
import type { Patient } from '../../api/patients';
import { RecordTitle } from './PatientRecordGate';
import { birthDateWithAge, patientName, sexLabel } from './patient-format';

/** The flags a clerk must not miss, as filled badges (shade 9 and grey 7 keep white text readable). */
export function PatientBadges({ patient }: { patient: Patient }) {
  return (
    <Group gap={6}>
      {patient.status === 'merged' && <Badge color="gray.7" variant="filled">Merged</Badge>}
      {patient.deceased && <Badge color="gray.9" variant="filled">Deceased</Badge>}
      {patient.legalHoldReason && <Badge color="red.9" variant="filled">Legal hold</Badge>}
      {patient.flags.restricted && <Badge color="red.9" variant="filled">Restricted</Badge>}
      {patient.flags.doNotRelease && <Badge color="red.9" variant="outline">Do not release</Badge>}
      {patient.flags.vip && <Badge color="violet.9" variant="filled">VIP</Badge>}
      {patient.flags.employee && <Badge color="blue.9" variant="filled">Employee</Badge>}
    </Group>
  );
}

/**
 * Who this is, at the top of every page about a patient: name, MRN, birth date and age, sex, the
 * flags, the photo, and the MRNs of records merged into this one. On the summary the name is the h1.
 */
export function PatientBanner({ patient, nameIsTitle = false }: { patient: Patient; nameIsTitle?: boolean }) {
  const name = patientName(patient);
  return (
    <Paper withBorder p="md" bg="gray.0" data-testid="patient-banner">
      <Group gap="md" wrap="nowrap" align="flex-start">
        {patient.photo && <Image src={patient.photo} alt={`Photo of ${name}`} w={80} h={80} fit="cover" radius="sm" />}
        <Stack gap={4}>
          {nameIsTitle ? (
            <RecordTitle tabTitle="Patient record">{name}</RecordTitle>
          ) : (
            <Text fw={700} size="lg">
              {name}
            </Text>
          )}
          {patient.preferredName && <Text size="sm">Prefers to be called {patient.preferredName}</Text>}
          <Text>
            <strong>MRN {patient.mrn}</strong> · Born {birthDateWithAge(patient.birthDate, patient.deathDate)} · {sexLabel(patient.sex)}
          </Text>
          {patient.aliasMrns.length > 0 && <Text size="sm" data-testid="alias-mrns">Also MRN {patient.aliasMrns.join(', ')}</Text>}
          {patient.legalHoldReason && <Text size="sm">Legal hold: {patient.legalHoldReason}</Text>}
          <PatientBadges patient={patient} />
        </Stack>
      </Group>
    </Paper>
  );
}
