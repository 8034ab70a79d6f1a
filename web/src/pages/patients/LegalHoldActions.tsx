import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useLegalHold, type Patient } from '../../api/patients';
import { ConfirmModal } from '../../components/ConfirmModal';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';

/**
 * The HIM supervisor's legal hold buttons on the summary: place a hold naming the matter or case, or
 * release it after confirming. The banner shows the hold and its reason to everyone.
 */
export function LegalHoldActions({ patient }: { patient: Patient }) {
  const [placing, setPlacing] = useState(false);
  const [releasing, setReleasing] = useState(false);
  const { release } = useLegalHold(patient.id);

  if (patient.legalHoldReason) {
    const closeRelease = () => {
      release.reset();
      setReleasing(false);
    };
    return (
      <>
        <Button variant="outline" color="red.9" onClick={() => setReleasing(true)}>
          Release legal hold
        </Button>
        <ConfirmModal
          opened={releasing}
          title="Release legal hold"
          message={`The hold for “${patient.legalHoldReason}” ends, and the record can be merged again. Release it only when the matter is closed and legal counsel agrees.`}
          confirmLabel="Release legal hold"
          pending={release.isPending}
          error={release.error}
          onConfirm={() =>
            release.mutate(undefined, {
              onSuccess: ({ patient: after }) => {
                notifications.show({ color: 'green', message: `Released the legal hold on MRN ${after.mrn}.` });
                closeRelease();
              },
            })
          }
          onClose={closeRelease}
        />
      </>
    );
  }
  // A retired record's values live on in the survivor: a hold belongs there.
  if (patient.status !== 'active') return null;
  return (
    <>
      <Button variant="outline" color="red.9" onClick={() => setPlacing(true)}>
        Place legal hold
      </Button>
      <PlaceLegalHoldModal patient={patient} opened={placing} onClose={() => setPlacing(false)} />
    </>
  );
}

function PlaceLegalHoldModal({ patient, opened, onClose }: { patient: Patient; opened: boolean; onClose(): void }) {
  const { place } = useLegalHold(patient.id);
  const form = useForm({
    initialValues: { reason: '' },
    validate: { reason: (value) => (value.trim() ? null : 'Name the matter or case the record is held for.') },
  });
  const close = () => {
    form.reset();
    place.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Place legal hold" size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          place.mutate(values.reason.trim(), {
            onSuccess: ({ patient: after }) => {
              notifications.show({ color: 'green', message: `Placed a legal hold on MRN ${after.mrn}.` });
              close();
            },
            onError: (error) => form.setErrors(fieldErrorsFor(error, { reason: 'reason' })),
          }),
        )}
      >
        <Stack gap="sm">
          <Text>
            While the hold is in place, this record cannot be merged with another, and everyone who opens it sees the hold and its reason.
            Place a hold when the record may be evidence in a lawsuit, claim or investigation.
          </Text>
          <ProblemAlert error={place.error} />
          <Textarea
            label="Matter or case"
            description="The lawsuit, claim or investigation, e.g. “Doe v. Riverside Hospital, case 2025-CV-01432”."
            required
            autosize
            minRows={2}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red.9" loading={place.isPending}>
              Place legal hold
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
