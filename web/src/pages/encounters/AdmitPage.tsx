import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ENCOUNTER_CLASSES, useOpenEncounter, type EncounterClass, type OpeningEventType } from '../../api/encounters';
import type { Patient } from '../../api/patients';
import { useProviders } from '../../api/reference-data';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { PatientBanner } from '../patients/PatientBanner';
import { PatientRecordGate, RecordTitle } from '../patients/PatientRecordGate';
import { ADMISSION_TYPES, ADMIT_SOURCES, CLASS_LABELS, codeChoices, HOSPITAL_SERVICES } from './encounter-codes';
import { LocationFields, NO_LOCATION, ProviderSelect, providerRefOf, toBedLocation, WhenField, type LocationValues } from './visit-fields';
import { fromLocalInput, orNull, toLocalInput } from './visit-format';

/** What each way of opening a visit is called, and the class it starts with. */
const OPENINGS: Record<OpeningEventType, { title: string; button: string; when: string; defaultClass: EncounterClass }> = {
  admit: { title: 'Admit the patient', button: 'Admit', when: 'Admitted at', defaultClass: 'inpatient' },
  register: { title: 'Register an outpatient visit', button: 'Register visit', when: 'Arrived at', defaultClass: 'outpatient' },
  pre_admit: { title: 'Pre-admit the patient', button: 'Pre-admit', when: 'Expected admission at', defaultClass: 'inpatient' },
};

const isOpening = (mode: string | null): mode is OpeningEventType => mode === 'admit' || mode === 'register' || mode === 'pre_admit';

/** The admitting desk: a new visit for the patient, admitted into a bed, registered, or planned. */
export function AdmitPage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const mode = search.get('mode');
  const type: OpeningEventType = isOpening(mode) ? mode : 'admit';
  return <PatientRecordGate id={id}>{(patient) => <AdmitForm key={type} patient={patient} type={type} />}</PatientRecordGate>;
}

interface AdmitValues {
  class: EncounterClass;
  at: string;
  location: LocationValues;
  service: string;
  admitType: string;
  admitSource: string;
  admittingId: string;
  attendingId: string;
  reason: string;
}

const FIELDS = { at: 'at', unit: 'location.unit', room: 'location.room', bed: 'location.bed', service: 'service', admitType: 'admitType', admitSource: 'admitSource', reason: 'reason', class: 'class' } as const;

function AdmitForm({ patient, type }: { patient: Patient; type: OpeningEventType }) {
  const opening = OPENINGS[type];
  const navigate = useNavigate();
  const providers = useProviders();
  const open = useOpenEncounter();
  const form = useForm<AdmitValues>({
    initialValues: {
      class: opening.defaultClass, at: toLocalInput(), location: NO_LOCATION, service: '', admitType: '', admitSource: '', admittingId: '', attendingId: '', reason: '',
    },
    validate: {
      at: (value) => (fromLocalInput(value) ? null : 'Give the date and time.'),
      location: { unit: (value, values) => (type === 'admit' && values.class === 'inpatient' && !value ? 'An inpatient is admitted to a unit.' : null) },
    },
  });
  const base = `/patients/${encodeURIComponent(patient.id)}`;

  const submit = (values: AdmitValues) =>
    open.mutate(
      {
        patientId: patient.id,
        type,
        at: fromLocalInput(values.at)!,
        details: {
          class: values.class,
          service: orNull(values.service),
          location: toBedLocation(values.location),
          admittingProvider: providerRefOf(providers.data, values.admittingId),
          attendingProvider: providerRefOf(providers.data, values.attendingId),
          admitType: orNull(values.admitType),
          admitSource: orNull(values.admitSource),
          reason: orNull(values.reason),
        },
      },
      {
        onSuccess: ({ encounter }) => {
          notifications.show({ color: 'green', message: `${opening.button}: visit ${encounter.visitNumber} for MRN ${patient.mrn}.` });
          void navigate(`/encounters/${encodeURIComponent(encounter.id)}`);
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, FIELDS)),
      },
    );
  const locationError = (part: keyof LocationValues) => form.errors[`location.${part}`] as string | undefined;

  return (
    <Stack gap="md">
      <RecordTitle tabTitle={opening.title}>{opening.title}</RecordTitle>
      <PatientBanner patient={patient} />
      <form noValidate onSubmit={form.onSubmit(submit)} aria-label={opening.title}>
        <Stack gap="md">
          <Paper withBorder p="md" component="section" aria-labelledby="admit-visit-heading">
            <Title order={2} size="h4" id="admit-visit-heading" mb="sm">
              Visit
            </Title>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <NativeSelect
                  label="Patient class"
                  data={ENCOUNTER_CLASSES.map((c) => ({ value: c, label: CLASS_LABELS[c] }))}
                  {...form.getInputProps('class')}
                />
                <WhenField label={opening.when} value={form.values.at} error={form.errors.at as string | undefined} onChange={(value) => form.setFieldValue('at', value)} />
              </SimpleGrid>
              <LocationFields
                value={form.values.location}
                errors={{ unit: locationError('unit'), room: locationError('room'), bed: locationError('bed') }}
                onChange={(value) => form.setFieldValue('location', value)}
              />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <TextInput label="Hospital service" description="e.g. MED, SUR" list="hospital-services" autoComplete="off" {...form.getInputProps('service')} />
                <NativeSelect label="Admission type" data={codeChoices(ADMISSION_TYPES, 'Not given')} {...form.getInputProps('admitType')} />
                <NativeSelect label="Admission source" data={codeChoices(ADMIT_SOURCES, 'Not given')} {...form.getInputProps('admitSource')} />
              </SimpleGrid>
              <datalist id="hospital-services">
                {Object.entries(HOSPITAL_SERVICES).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </datalist>
            </Stack>
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="admit-providers-heading">
            <Title order={2} size="h4" id="admit-providers-heading" mb="sm">
              Providers and reason
            </Title>
            <Stack gap="sm">
              {providers.data?.length === 0 && (
                <Text size="sm" c="dimmed">
                  No providers are entered yet; an HIM supervisor adds them on the Reference data page.
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <ProviderSelect label="Admitting provider" value={form.values.admittingId} onChange={(value) => form.setFieldValue('admittingId', value)} />
                <ProviderSelect label="Attending provider" value={form.values.attendingId} onChange={(value) => form.setFieldValue('attendingId', value)} />
              </SimpleGrid>
              <Textarea label="Reason for the visit" autosize minRows={2} maxLength={500} {...form.getInputProps('reason')} />
            </Stack>
          </Paper>
          <ProblemAlert error={open.error} />
          <Group>
            <Button type="submit" loading={open.isPending}>
              {opening.button}
            </Button>
            <Button variant="default" component={Link} to={base}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
