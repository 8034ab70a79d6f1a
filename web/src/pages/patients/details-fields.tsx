import { Checkbox, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { COVERAGE_ORDERS, ETHNICITIES, MARITAL_STATUSES, RACES, SUBSCRIBER_RELATIONSHIPS, selectOptions } from './demographic-codes';
import { FormSection, ListRows, type PatientForm } from './form-parts';
import { GuarantorFields } from './contact-fields';
import { newCoverage } from './patient-form-values';

/** Common preferred languages with their BCP 47 codes; a code on file that is not listed is kept as it is. */
export const LANGUAGES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  zh: 'Chinese',
  vi: 'Vietnamese',
  tl: 'Tagalog',
  ar: 'Arabic',
  fr: 'French',
  ht: 'Haitian Creole',
  ko: 'Korean',
  ru: 'Russian',
  pt: 'Portuguese',
  de: 'German',
  hi: 'Hindi',
  pl: 'Polish',
  it: 'Italian',
  ja: 'Japanese',
  fa: 'Persian',
  so: 'Somali',
  ase: 'American Sign Language',
};

export const languageLabel = (code: string | undefined): string => (code ? (LANGUAGES[code] ?? code) : '');

export function DetailsSection({ form }: { form: PatientForm }) {
  const language = form.values.language;
  const languages = language && !LANGUAGES[language] ? { ...LANGUAGES, [language]: language } : LANGUAGES;
  return (
    <FormSection id="patient-details" title="Demographic details">
      <Checkbox.Group label="Race" description="Choose all that apply" {...form.getInputProps('race')}>
        <Group gap="md" mt={6}>
          {Object.entries(RACES).map(([code, label]) => (
            <Checkbox key={code} value={code} label={label} />
          ))}
        </Group>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NativeSelect label="Ethnicity" data={selectOptions(ETHNICITIES, 'Not recorded')} {...form.getInputProps('ethnicity')} />
        <TextInput label="Tribal affiliation" autoComplete="off" {...form.getInputProps('tribalAffiliation')} />
        <NativeSelect label="Preferred language" data={selectOptions(languages, 'Not recorded')} {...form.getInputProps('language')} />
      </SimpleGrid>
      <Checkbox label="Needs an interpreter" {...form.getInputProps('interpreterNeeded', { type: 'checkbox' })} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NativeSelect label="Marital status" data={selectOptions(MARITAL_STATUSES, 'Not recorded')} {...form.getInputProps('maritalStatus')} />
        <TextInput label="Gender identity" autoComplete="off" {...form.getInputProps('genderIdentity')} />
        <TextInput label="Sexual orientation" autoComplete="off" {...form.getInputProps('sexualOrientation')} />
        <TextInput label="Occupation" autoComplete="off" {...form.getInputProps('occupation')} />
        <TextInput label="Industry" autoComplete="off" {...form.getInputProps('industry')} />
        <TextInput label="Primary care provider" autoComplete="off" {...form.getInputProps('primaryCareProvider')} />
      </SimpleGrid>
    </FormSection>
  );
}

export function InsuranceSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-insurance" title="Insurance">
      <ListRows
        form={form}
        field="coverages"
        rowLabel="Coverage"
        addLabel="Add a coverage"
        emptyText="No insurance recorded (self-pay)."
        newRow={() => newCoverage(form.values.coverages.length + 1)}
      >
        {(_index, path) => (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label="Payer" required autoComplete="off" {...form.getInputProps(path('payer'))} />
            <TextInput label="Member ID" required autoComplete="off" {...form.getInputProps(path('memberId'))} />
            <TextInput label="Group number" autoComplete="off" {...form.getInputProps(path('groupNumber'))} />
            <TextInput label="Subscriber name" description="Leave blank when the patient is the subscriber" autoComplete="off" {...form.getInputProps(path('subscriberName'))} />
            <NativeSelect label="Subscriber is" data={selectOptions(SUBSCRIBER_RELATIONSHIPS)} {...form.getInputProps(path('subscriberRelationship'))} />
            <NativeSelect label="Order" data={selectOptions(COVERAGE_ORDERS)} {...form.getInputProps(path('order'))} />
          </SimpleGrid>
        )}
      </ListRows>
      <GuarantorFields form={form} />
    </FormSection>
  );
}

export function FlagsSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-flags" title="Flags">
      <Stack gap="sm">
        <Checkbox label="VIP" description="A well-known person: take extra care with privacy" {...form.getInputProps('flags.vip', { type: 'checkbox' })} />
        <Checkbox label="Employee" description="The patient works at this hospital" {...form.getInputProps('flags.employee', { type: 'checkbox' })} />
        <Checkbox
          label="Restricted"
          description="Confidential record: opening it needs a reason, except for the HIM supervisor and the privacy officer"
          {...form.getInputProps('flags.restricted', { type: 'checkbox' })}
        />
        <Checkbox label="Do not release" description="Hold on any release of information" {...form.getInputProps('flags.doNotRelease', { type: 'checkbox' })} />
      </Stack>
    </FormSection>
  );
}
