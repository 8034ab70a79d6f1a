import { Alert, Anchor, Button, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { needsEmergencyAccess, useEmergencyAccess, usePatient, type Patient } from '../../api/patients';
import { fieldErrorsFor } from '../../components/formErrors';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';

/** The emergency-access rule on the server (src/access/emergency-access.ts MIN_REASON_LENGTH). */
const MIN_REASON_LENGTH = 10;

/**
 * A page's one h1 when it names a patient. The browser's tab title (kept in its history, shown in
 * the task bar) gets only `tabTitle`: no patient's name leaves the page.
 */
export function RecordTitle({ children, tabTitle }: { children: string; tabTitle: string }) {
  useEffect(() => {
    document.title = `${tabTitle} · Chartroom`;
  }, [tabTitle]);
  return (
    <Title order={1} size="h2">
      {children}
    </Title>
  );
}

/**
 * Loads a patient's record for a page, and stands in for the page when it cannot be shown: still
 * loading, restricted (with the way to break the glass), not found, or refused.
 */
export function PatientRecordGate({ id, children }: { id: string; children(patient: Patient): ReactNode }) {
  const patient = usePatient(id);
  if (patient.isPending) return <Loader role="status" aria-label="Loading the patient's record" />;
  if (patient.error) {
    if (needsEmergencyAccess(patient.error)) return <RestrictedRecord patientId={id} />;
    const notFound = patient.error instanceof ApiError && patient.error.status === 404;
    return (
      <Stack gap="sm">
        <PageTitle>{notFound ? 'Patient not found' : 'Patient record not available'}</PageTitle>
        <ProblemAlert error={patient.error} />
        <Text>
          <Anchor component={Link} to="/patients">
            Search for the patient
          </Anchor>
        </Text>
      </Stack>
    );
  }
  return children(patient.data);
}

/** "Break the glass": a restricted record opens for this person only with a stated, reviewed reason. */
function RestrictedRecord({ patientId }: { patientId: string }) {
  const grant = useEmergencyAccess(patientId);
  const form = useForm({
    initialValues: { reason: '' },
    validate: {
      reason: (value) => (value.trim().length >= MIN_REASON_LENGTH ? null : `Give a reason of at least ${MIN_REASON_LENGTH} characters.`),
    },
  });
  return (
    <Stack gap="md" maw={720}>
      <PageTitle>This record is restricted</PageTitle>
      <Alert color="yellow" variant="light" title="Confidential record">
        This patient's record is confidential. Your role may open it only in an emergency. Emergency access is recorded, and the
        privacy officer reviews every use of it with the reason you give.
      </Alert>
      <Paper withBorder p="md" component="section" aria-labelledby="break-glass-heading">
        <Title order={2} size="h4" id="break-glass-heading" mb="sm">
          Emergency access
        </Title>
        <form
          noValidate
          onSubmit={form.onSubmit((values) =>
            grant.mutate(values.reason.trim(), { onError: (error) => form.setErrors(fieldErrorsFor(error, { reason: 'reason' })) }),
          )}
        >
          <Stack gap="sm">
            <ProblemAlert error={grant.error} />
            <Textarea
              label="Reason for emergency access"
              description="Why you need this record now, for example: patient in the emergency department, chart needed for treatment."
              required
              autosize
              minRows={3}
              {...form.getInputProps('reason')}
            />
            <div>
              <Button type="submit" color="red.9" loading={grant.isPending}>
                Open the record in an emergency
              </Button>
            </div>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
