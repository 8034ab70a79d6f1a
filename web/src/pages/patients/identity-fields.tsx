import { Button, FileButton, Group, Image, NativeSelect, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { SEX_LABELS } from './patient-format';
import { IDENTIFIER_TYPES, selectOptions } from './demographic-codes';
import { FormSection, ListRows, type PatientForm } from './form-parts';
import { newIdentifier, newPreviousName } from './patient-form-values';

// The server keeps a photo of up to 400,000 characters as a data URL: about 290 kB of image.
const MAX_PHOTO_BYTES = 290_000;

export function NameSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-name" title="Name">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <TextInput label="Given name" required autoComplete="off" {...form.getInputProps('given')} />
        <TextInput label="Middle name" autoComplete="off" {...form.getInputProps('middle')} />
        <TextInput label="Family name" required autoComplete="off" {...form.getInputProps('family')} />
        <TextInput label="Suffix" description="Jr, Sr, III" autoComplete="off" {...form.getInputProps('suffix')} />
      </SimpleGrid>
      <TextInput label="Preferred name" description="The name the patient likes to be called by" autoComplete="off" maw={360} {...form.getInputProps('preferredName')} />
      <Text fw={600} size="sm" mt="xs">
        Previous names
      </Text>
      <ListRows
        form={form}
        field="previousNames"
        rowLabel="Previous name"
        addLabel="Add a previous name"
        emptyText="No previous names (maiden or former names) recorded."
        newRow={newPreviousName}
      >
        {(_index, path) => (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label="Given name" autoComplete="off" {...form.getInputProps(path('given'))} />
            <TextInput label="Family name" required autoComplete="off" {...form.getInputProps(path('family'))} />
            <TextInput label="Used until" type="date" {...form.getInputProps(path('until'))} />
          </SimpleGrid>
        )}
      </ListRows>
      <PhotoField form={form} />
    </FormSection>
  );
}

function PhotoField({ form }: { form: PatientForm }) {
  const [problem, setProblem] = useState<string | null>(null);
  const photo = form.values.photo;
  const choose = (file: File | null) => {
    setProblem(null);
    if (!file) return;
    if (!['image/png', 'image/jpeg'].includes(file.type)) return setProblem('Choose a PNG or JPEG image.');
    if (file.size > MAX_PHOTO_BYTES) return setProblem('The photo is too large: choose an image under 280 kB.');
    const reader = new FileReader();
    reader.onload = () => form.setFieldValue('photo', String(reader.result));
    reader.onerror = () => setProblem('The photo could not be read.');
    reader.readAsDataURL(file);
  };
  const error = problem ?? (form.errors.photo as string | undefined);
  return (
    <div>
      <Text fw={600} size="sm" mt="xs" id="patient-photo-label">
        Photo
      </Text>
      <Group gap="sm" mt={4} align="center">
        {photo ? <Image src={photo} alt="The patient's photo" w={72} h={72} fit="cover" radius="sm" /> : <Text size="sm" c="dimmed">No photo.</Text>}
        <FileButton onChange={choose} accept="image/png,image/jpeg">
          {(props) => (
            <Button variant="default" size="sm" {...props}>
              {photo ? 'Replace photo' : 'Add a photo'}
            </Button>
          )}
        </FileButton>
        {photo && (
          <Button variant="outline" color="red.9" size="sm" onClick={() => form.setFieldValue('photo', '')}>
            Remove photo
          </Button>
        )}
      </Group>
      {error && (
        <Text size="sm" c="red.9" mt={4} role="alert">
          {error}
        </Text>
      )}
    </div>
  );
}

export function BirthSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-birth" title="Birth and sex">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label="Birth date" type="date" required {...form.getInputProps('birthDate')} />
        <NativeSelect label="Sex" description="Administrative sex" required data={selectOptions(SEX_LABELS, 'Choose…')} {...form.getInputProps('sex')} />
        <TextInput label="Date of death" type="date" description="Only if the patient has died" {...form.getInputProps('deathDate')} />
      </SimpleGrid>
    </FormSection>
  );
}

export function IdentifiersSection({ form, ssnLast4, hasDriversLicence }: { form: PatientForm; ssnLast4?: string | null; hasDriversLicence?: boolean }) {
  const onFile = ssnLast4 ? `On file, ending ${ssnLast4} — leave blank to keep. ` : '';
  return (
    <FormSection id="patient-identifiers" title="Identifiers">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label="Social Security number"
          description={`${onFile}Stored encrypted; only the last four are shown.`}
          placeholder="123-45-6789"
          autoComplete="off"
          {...form.getInputProps('ssn')}
        />
        <TextInput
          label="Driver's licence number"
          description={hasDriversLicence ? 'On file — leave blank to keep. Stored encrypted.' : 'Stored encrypted.'}
          autoComplete="off"
          {...form.getInputProps('driversLicence.number')}
        />
        <TextInput label="Driver's licence state" description="State that issued it, e.g. ME" autoComplete="off" {...form.getInputProps('driversLicence.state')} />
      </SimpleGrid>
      <Text fw={600} size="sm" mt="xs">
        Other facility MRNs and identifiers
      </Text>
      <ListRows
        form={form}
        field="identifiers"
        rowLabel="Other identifier"
        addLabel="Add an identifier"
        emptyText="No identifiers from other facilities or payers."
        newRow={newIdentifier}
      >
        {(_index, path) => (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label="Assigning authority" description="The other facility or payer" autoComplete="off" required {...form.getInputProps(path('system'))} />
            <TextInput label="Identifier" autoComplete="off" required {...form.getInputProps(path('value'))} />
            <NativeSelect label="Type" data={selectOptions(IDENTIFIER_TYPES)} {...form.getInputProps(path('type'))} />
          </SimpleGrid>
        )}
      </ListRows>
    </FormSection>
  );
}
