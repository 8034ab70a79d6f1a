import { Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { ADDRESS_USES, GUARANTOR_RELATIONSHIPS, PHONE_USES, RELATIONSHIPS, selectOptions } from './demographic-codes';
import { FormSection, ListRows, type PatientForm } from './form-parts';
import { newAddress, newContact, newPhone } from './patient-form-values';

export function ContactSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-contact" title="Contact">
      <Text fw={600} size="sm">
        Addresses
      </Text>
      <ListRows form={form} field="addresses" rowLabel="Address" addLabel="Add an address" emptyText="No address recorded." newRow={newAddress}>
        {(_index, path) => (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label="Street" required autoComplete="off" {...form.getInputProps(path('line1'))} />
              <TextInput label="Street, second line" description="Apartment, suite, unit" autoComplete="off" {...form.getInputProps(path('line2'))} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="sm">
              <TextInput label="City" required autoComplete="off" {...form.getInputProps(path('city'))} />
              <TextInput label="State" autoComplete="off" {...form.getInputProps(path('state'))} />
              <TextInput label="ZIP or postal code" autoComplete="off" {...form.getInputProps(path('postalCode'))} />
              <TextInput label="Country" description="Two letters, e.g. US" autoComplete="off" maxLength={2} {...form.getInputProps(path('country'))} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NativeSelect label="Use" data={selectOptions(ADDRESS_USES)} {...form.getInputProps(path('use'))} />
              <TextInput label="Since" type="date" {...form.getInputProps(path('since'))} />
              <TextInput label="Until" type="date" {...form.getInputProps(path('until'))} />
            </SimpleGrid>
          </>
        )}
      </ListRows>
      <Text fw={600} size="sm" mt="xs">
        Phones
      </Text>
      <ListRows form={form} field="phones" rowLabel="Phone" addLabel="Add a phone" emptyText="No phone recorded." newRow={newPhone}>
        {(_index, path) => (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Number" type="tel" description="10 digits, or + and the country code" autoComplete="off" {...form.getInputProps(path('number'))} />
            <NativeSelect label="Use" data={selectOptions(PHONE_USES)} {...form.getInputProps(path('use'))} />
          </SimpleGrid>
        )}
      </ListRows>
      <TextInput label="E-mail" type="email" autoComplete="off" maw={420} mt="xs" {...form.getInputProps('email')} />
    </FormSection>
  );
}

export function RelatedPersonsSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-related" title="Related persons and emergency contacts">
      <ListRows
        form={form}
        field="contacts"
        rowLabel="Related person"
        addLabel="Add a related person"
        emptyText="No related persons or emergency contacts recorded."
        newRow={newContact}
      >
        {(_index, path) => (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label="Name" required autoComplete="off" {...form.getInputProps(path('name'))} />
              <NativeSelect label="Relationship" data={selectOptions(RELATIONSHIPS)} {...form.getInputProps(path('relationship'))} />
              <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps(path('phone'))} />
              <TextInput label="E-mail" type="email" autoComplete="off" {...form.getInputProps(path('email'))} />
            </SimpleGrid>
            <Checkbox label="Emergency contact" {...form.getInputProps(path('emergencyContact'), { type: 'checkbox' })} />
          </>
        )}
      </ListRows>
    </FormSection>
  );
}

export function CommunicationSection({ form }: { form: PatientForm }) {
  return (
    <FormSection id="patient-communication" title="Communication preferences" description="How the patient agrees to be contacted.">
      <Group gap="lg">
        <Checkbox label="Phone calls" {...form.getInputProps('communication.phone', { type: 'checkbox' })} />
        <Checkbox label="E-mail" {...form.getInputProps('communication.email', { type: 'checkbox' })} />
        <Checkbox label="Text messages" {...form.getInputProps('communication.text', { type: 'checkbox' })} />
      </Group>
    </FormSection>
  );
}

export function GuarantorFields({ form }: { form: PatientForm }) {
  return (
    <Stack gap={4}>
      <Text fw={600} size="sm" mt="xs">
        Guarantor (who is responsible for the bill)
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput label="Guarantor name" autoComplete="off" {...form.getInputProps('guarantor.name')} />
        <NativeSelect label="Guarantor's relationship" data={selectOptions(GUARANTOR_RELATIONSHIPS, 'Choose…')} {...form.getInputProps('guarantor.relationship')} />
        <TextInput label="Guarantor phone" type="tel" autoComplete="off" {...form.getInputProps('guarantor.phone')} />
      </SimpleGrid>
    </Stack>
  );
}
