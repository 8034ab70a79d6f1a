import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, apiRequest } from '../../api/client';
import { patientKeys, useUpdatePatient, type Patient } from '../../api/patients';
import { FormProblems, PatientForm, showServerErrors, usePatientForm } from './PatientForm';
import { PatientBanner } from './PatientBanner';
import { PatientRecordGate, RecordTitle } from './PatientRecordGate';
import { formValuesOf, toDemographics, type PatientFormValues, type RowOrigins } from './patient-form-values';
import { mergeAfterConflict, ServerChangesPanel, type ServerChange } from './edit-conflict';

export function EditPatientPage() {
  const { id = '' } = useParams();
  // Keyed by the record only: a refetch of the record must not wipe what the clerk is typing.
  return <PatientRecordGate id={id}>{(patient) => <EditPatient key={`${patient.id}`} initial={patient} />}</PatientRecordGate>;
}

const isVersionConflict = (error: unknown) => error instanceof ApiError && error.code === 'patient.version-conflict';

/**
 * Changes a patient's demographics. The version the form was filled from goes with the save, so a
 * change someone else saved meanwhile is never overwritten: the save is refused, what the clerk
 * typed stays on screen, and reloading merges in what was saved meanwhile and lists it.
 */
function EditPatient({ initial }: { initial: Patient }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The record as it was when the form was filled; later refetches must not move the version under the clerk.
  const [loaded, setLoaded] = useState<Patient>(initial);
  const form = usePatientForm(formValuesOf(initial));
  const update = useUpdatePatient(initial.id);
  const [origins, setOrigins] = useState<RowOrigins | null>(null);
  const [reason, setReason] = useState('');
  const [reloading, setReloading] = useState(false);
  const [serverChanges, setServerChanges] = useState<ServerChange[] | null>(null);

  const submit = (values: PatientFormValues) => {
    const { demographics, origins: sent } = toDemographics(values);
    setOrigins(sent);
    const trimmedReason = reason.trim();
    update.mutate(
      { version: loaded.version, patient: demographics, ...(trimmedReason ? { reason: trimmedReason } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Saved the changes to MRN ${loaded.mrn}.` });
          void navigate(`/patients/${encodeURIComponent(loaded.id)}`);
        },
        onError: (error) => showServerErrors(form, error, sent),
      },
    );
  };

  const reload = async () => {
    setReloading(true);
    try {
      const { patient } = await apiRequest<{ patient: Patient }>(`/api/patients/${encodeURIComponent(loaded.id)}`);
      queryClient.setQueryData(patientKeys.record(patient.id), patient);
      // Keep what the clerk typed; take what only the other person changed; the next save goes on the new version.
      const { values, changes } = mergeAfterConflict(loaded, form.getValues(), patient);
      setLoaded(patient);
      form.setValues(values);
      form.resetDirty(formValuesOf(patient));
      form.clearErrors();
      update.reset();
      setServerChanges(changes);
      notifications.show({ message: `Loaded MRN ${patient.mrn} as saved now (version ${patient.version}). Your changes are still in the form.` });
    } catch (error) {
      notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setReloading(false);
    }
  };

  return (
    <Stack gap="md">
      <RecordTitle tabTitle="Edit patient record">Edit patient record</RecordTitle>
      <PatientBanner patient={loaded} />
      <PatientForm
        form={form}
        label="Patient record"
        onSubmit={submit}
        ssnLast4={loaded.ssnLast4}
        hasDriversLicence={loaded.hasDriversLicence}
        footer={
          <Stack gap="sm">
            {isVersionConflict(update.error) ? (
              <Alert color="red" variant="light" title="Someone else saved this record since you opened it" role="alert">
                <Stack gap="xs">
                  <Text size="sm">
                    Your changes were not saved, and they are still in the form above. Reload to bring in what was saved meanwhile: your
                    changes stay, and the fields the other person changed are listed for you to check before saving again.
                  </Text>
                  <Group>
                    <Button size="xs" onClick={() => void reload()} loading={reloading}>
                      Reload
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            ) : (
              <FormProblems error={update.error} origins={origins} />
            )}
            {serverChanges && <ServerChangesPanel changes={serverChanges} version={loaded.version} />}
            <TextInput
              label="Reason for change"
              description="Optional; kept in the record's history, e.g. “patient moved”, “corrected spelling from ID card”."
              autoComplete="off"
              maw={640}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <Group>
              <Button type="submit" loading={update.isPending}>
                Save changes
              </Button>
              <Button variant="default" component={Link} to={`/patients/${encodeURIComponent(loaded.id)}`}>
                Cancel
              </Button>
            </Group>
          </Stack>
        }
      />
    </Stack>
  );
}
