import { Alert, List, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ContactSection, CommunicationSection, RelatedPersonsSection } from './contact-fields';
import { DetailsSection, FlagsSection, InsuranceSection } from './details-fields';
import type { PatientForm } from './form-parts';
import { BirthSection, IdentifiersSection, NameSection } from './identity-fields';
import { describeFormPath, formPathOf, type PatientFormValues, type RowOrigins } from './patient-form-values';

/** The registration form's state, with the checks that need no server: the four fields every record must have. */
export function usePatientForm(initialValues: PatientFormValues): PatientForm {
  return useForm<PatientFormValues>({
    initialValues,
    validate: {
      given: (value) => (value.trim() ? null : 'Enter the given name.'),
      family: (value) => (value.trim() ? null : 'Enter the family name.'),
      birthDate: (value) => (value ? null : 'Enter the birth date.'),
      sex: (value) => (value ? null : 'Choose the sex.'),
    },
  });
}

/** Puts the cursor in the first field with a problem, so the clerk sees what to fix. */
export function focusFirstError(form: PatientForm, errors: Record<string, unknown> = form.errors): void {
  const first = Object.keys(errors)[0];
  if (!first) return;
  window.setTimeout(() => {
    const node = form.getInputNode(first);
    if (node) {
      node.focus();
      node.scrollIntoView({ block: 'center' });
    }
  }, 0);
}

/** The server's per-field messages, placed beside the inputs they are about. */
export function showServerErrors(form: PatientForm, error: unknown, origins: RowOrigins): void {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return;
  const errors: Record<string, string> = {};
  for (const { field, message } of error.problem.errors) {
    const path = formPathOf(field, origins);
    errors[path] = errors[path] ? `${errors[path]} ${message}` : message;
  }
  form.setErrors(errors);
  focusFirstError(form, errors);
}

/** What went wrong with a save: each field's problem in words, or the server's explanation. */
export function FormProblems({ error, origins }: { error: unknown; origins: RowOrigins | null }) {
  if (!error) return null;
  if (error instanceof ApiError && error.problem.errors?.length && origins) {
    return (
      <Alert color="red" variant="light" title="Please check the form" role="alert">
        <List size="sm">
          {error.problem.errors.map(({ field, message }) => (
            <List.Item key={`${field}:${message}`}>
              {describeFormPath(formPathOf(field, origins))}: {message}
            </List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  return <ProblemAlert error={error} />;
}

interface PatientFormProps {
  form: PatientForm;
  label: string;
  onSubmit(values: PatientFormValues): void;
  /** On edit: what is on file for the write-only identifiers. */
  ssnLast4?: string | null;
  hasDriversLicence?: boolean;
  /** Problems, the reason fields and the buttons. */
  footer: ReactNode;
}

/** Every section of a patient's demographics, in the order the registration desk asks for them. */
export function PatientForm({ form, label, onSubmit, ssnLast4, hasDriversLicence, footer }: PatientFormProps) {
  return (
    <form aria-label={label} noValidate onSubmit={form.onSubmit(onSubmit, (errors) => focusFirstError(form, errors))}>
      <Stack gap="md">
        <NameSection form={form} />
        <BirthSection form={form} />
        <ContactSection form={form} />
        <IdentifiersSection form={form} ssnLast4={ssnLast4} hasDriversLicence={hasDriversLicence} />
        <DetailsSection form={form} />
        <RelatedPersonsSection form={form} />
        <InsuranceSection form={form} />
        <CommunicationSection form={form} />
        <FlagsSection form={form} />
        {footer}
      </Stack>
    </form>
  );
}
