import { Alert, Anchor, Button, Grid, Group, Stack, Text, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { duplicateCandidatesOf, useMatchCandidates, useRegisterPatient, type Demographics, type MatchCandidate } from '../../api/patients';
import { PageTitle } from '../../components/PageTitle';
import { CandidateList, CandidatesPanel } from './MatchCandidates';
import { FormProblems, PatientForm, showServerErrors, usePatientForm } from './PatientForm';
import { emptyFormValues, matchQueryOf, toDemographics, type PatientFormValues, type RowOrigins } from './patient-form-values';
import { patientName } from './patient-format';

/** How long typing must pause before the index is asked for likely matches. */
const MATCH_DEBOUNCE_MS = 400;

/** The registration desk: a new patient's demographics, with likely existing records shown as they are typed. */
export function RegisterPatientPage() {
  const navigate = useNavigate();
  const form = usePatientForm(emptyFormValues());
  const register = useRegisterPatient();
  const [origins, setOrigins] = useState<RowOrigins | null>(null);
  // Set when the server refused because the patient may already be registered.
  const [suspected, setSuspected] = useState<MatchCandidate[] | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  // Debounce the text, not the object: a new object each render would restart the timer for ever.
  const [matchKey] = useDebouncedValue(JSON.stringify(matchQueryOf(form.values)), MATCH_DEBOUNCE_MS);
  const matchQuery = useMemo(() => JSON.parse(matchKey) as Demographics | null, [matchKey]);
  const candidates = useMatchCandidates(matchQuery);

  // Once the server has shown likely matches, the cursor goes to the reason it now needs.
  useEffect(() => {
    if (suspected) reasonRef.current?.focus();
  }, [suspected]);

  const submit = (values: PatientFormValues) => {
    const { demographics, origins: sent } = toDemographics(values);
    setOrigins(sent);
    const duplicateReason = reason.trim();
    if (suspected && !duplicateReason) {
      setReasonError('Say why a new record is right although these records look like the same patient.');
      reasonRef.current?.focus();
      return;
    }
    setReasonError(null);
    register.mutate(
      { ...demographics, ...(suspected ? { duplicateReason } : {}) },
      {
        onSuccess: ({ patient }) => {
          notifications.show({ color: 'green', message: `Registered ${patientName(patient)} with MRN ${patient.mrn}.` });
          void navigate(`/patients/${encodeURIComponent(patient.id)}`);
        },
        onError: (error) => {
          const found = duplicateCandidatesOf(error);
          if (found) {
            setSuspected(found);
            return;
          }
          showServerErrors(form, error, sent);
        },
      },
    );
  };

  const problems = duplicateCandidatesOf(register.error) ? null : register.error;

  return (
    <Stack gap="md">
      <PageTitle>Register a new patient</PageTitle>
      <Text>
        Search first: most patients are already registered. Fields marked with an asterisk are required; the rest can be added later.{' '}
        <Anchor component={Link} to="/patients">
          Back to patient search
        </Anchor>
      </Text>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <PatientForm
            form={form}
            label="New patient"
            onSubmit={submit}
            footer={
              <Stack gap="sm">
                <FormProblems error={problems} origins={origins} />
                {suspected && (
                  <Alert color="yellow" variant="light" title="This patient may already be registered" role="region" aria-label="This patient may already be registered">
                    <Stack gap="sm">
                      <Text size="sm">
                        {suspected.length === 1 ? 'This record looks' : 'These records look'} like the patient you are registering. Open{' '}
                        {suspected.length === 1 ? 'it' : 'them'} to check. If this really is a different person, say why and register a new record.
                      </Text>
                      <CandidateList candidates={suspected} label="Records that look like this patient" />
                      <Textarea
                        ref={reasonRef}
                        label="Reason for creating a new record"
                        description="Kept with the new record and in the audit trail."
                        required
                        autosize
                        minRows={2}
                        value={reason}
                        error={reasonError}
                        onChange={(event) => {
                          setReason(event.currentTarget.value);
                          setReasonError(null);
                        }}
                      />
                    </Stack>
                  </Alert>
                )}
                <Group>
                  <Button type="submit" loading={register.isPending}>
                    {suspected ? 'Register as a new patient' : 'Register patient'}
                  </Button>
                  <Button variant="default" component={Link} to="/patients">
                    Cancel
                  </Button>
                </Group>
              </Stack>
            }
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <CandidatesPanel ready={matchQuery !== null} loading={candidates.isFetching} error={candidates.error} candidates={matchQuery ? candidates.data : undefined} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
