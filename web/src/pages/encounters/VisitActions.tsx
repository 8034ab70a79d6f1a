import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ENCOUNTER_CLASSES, encounterKeys, paperworkUrl, useEncounterEvent, type EncounterClass, type EncounterDetail, type FollowingEvent } from '../../api/encounters';
import { PERMISSIONS } from '../../api/permissions';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { CLASS_LABELS, codeChoices, DISCHARGE_DISPOSITIONS, EVENT_LABELS } from './encounter-codes';
import { LocationFields, NO_LOCATION, toBedLocation, WhenField, type LocationValues } from './visit-fields';
import { fromLocalInput, orNull, toLocalInput } from './visit-format';

type Action = 'admit' | 'transfer' | 'leave' | 'return' | 'discharge' | 'change_class' | 'cancel_admit' | 'cancel_transfer' | 'cancel_discharge';

const isVersionConflict = (error: unknown) => error instanceof ApiError && error.code === 'encounter.version-conflict';

/** What the visit's state allows (the server decides again: src/encounters/visits.ts). */
function allowedActions(visit: EncounterDetail): Action[] {
  const liveStays = visit.stays.filter((s) => !s.cancelled).length;
  switch (visit.status) {
    case 'planned':
      return ['admit', 'change_class', 'cancel_admit'];
    case 'in_progress':
      return ['transfer', 'leave', 'discharge', 'change_class', ...(liveStays > 1 ? (['cancel_transfer'] as const) : []), 'cancel_admit'];
    case 'on_leave':
      return ['return', 'transfer', 'discharge', 'change_class', ...(liveStays > 1 ? (['cancel_transfer'] as const) : []), 'cancel_admit'];
    case 'finished':
      return ['cancel_discharge'];
    case 'cancelled':
      return [];
  }
}

const BUTTONS: Record<Action, { label: string; danger?: boolean }> = {
  admit: { label: 'Admit now' },
  transfer: { label: 'Transfer' },
  leave: { label: 'Leave of absence' },
  return: { label: 'Return from leave' },
  discharge: { label: 'Discharge' },
  change_class: { label: 'Change class' },
  cancel_admit: { label: 'Cancel admission', danger: true },
  cancel_transfer: { label: 'Cancel transfer', danger: true },
  cancel_discharge: { label: 'Cancel discharge', danger: true },
};

/** The visit's buttons for its state, each opening its form; and the paperwork to print. */
export function VisitActions({ visit }: { visit: EncounterDetail }) {
  const { hasPermission } = useSession();
  const [action, setAction] = useState<Action | null>(null);
  const canWrite = hasPermission(PERMISSIONS.encountersWrite);
  return (
    <Group gap="sm" role="group" aria-label="Visit actions">
      {canWrite &&
        allowedActions(visit).map((a) => (
          <Button key={a} variant={BUTTONS[a].danger ? 'outline' : 'filled'} color={BUTTONS[a].danger ? 'red.9' : undefined} onClick={() => setAction(a)}>
            {BUTTONS[a].label}
          </Button>
        ))}
      <Button component="a" variant="default" href={paperworkUrl(visit.id, 'face-sheet')} target="_blank" rel="noopener">
        Print face sheet
      </Button>
      {visit.status === 'finished' && (
        <Button component="a" variant="default" href={paperworkUrl(visit.id, 'discharge-record')} target="_blank" rel="noopener">
          Print discharge record
        </Button>
      )}
      {action && <ActionModal key={action} action={action} visit={visit} onClose={() => setAction(null)} />}
    </Group>
  );
}

const CONFIRMATIONS: Partial<Record<Action, string>> = {
  cancel_admit: 'The visit is cancelled as if it never took place: its beds leave the census. Cancel only an admission entered in error.',
  cancel_transfer: 'The latest transfer is undone: the patient is back in the bed before it, as if the transfer never happened.',
  cancel_discharge: 'The discharge is undone: the patient is in house again, in the last bed, and the discharge record can no longer be printed.',
};

/**
 * One action's form. It sends the version the page shows; when someone else changed the visit
 * meanwhile, the page reloads the visit and the form keeps what was typed, to be checked and sent again.
 */
function ActionModal({ action, visit, onClose }: { action: Action; visit: EncounterDetail; onClose(): void }) {
  const queryClient = useQueryClient();
  const send = useEncounterEvent(visit.id);
  const [at, setAt] = useState(toLocalInput());
  const [location, setLocation] = useState<LocationValues>(
    action === 'admit' && visit.location ? { unit: visit.location.unit, room: visit.location.room ?? '', bed: visit.location.bed ?? '' } : NO_LOCATION,
  );
  const [disposition, setDisposition] = useState('01');
  const [dischargedTo, setDischargedTo] = useState('');
  const [newClass, setNewClass] = useState<EncounterClass>(visit.class);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsFor(send.error, { at: 'at', unit: 'unit', room: 'room', bed: 'bed', dischargedTo: 'dischargedTo' }), ...missing };

  const eventOf = (instant: string): FollowingEvent | null => {
    switch (action) {
      case 'admit':
        return { type: 'admit', at: instant, details: location.unit ? { location: toBedLocation(location) } : {} };
      case 'transfer':
        return location.unit ? { type: 'transfer', at: instant, to: toBedLocation(location)! } : null;
      case 'discharge':
        return { type: 'discharge', at: instant, disposition: orNull(disposition), dischargedTo: orNull(dischargedTo) };
      case 'change_class':
        return { type: 'change_class', at: instant, class: newClass };
      default:
        return { type: action, at: instant };
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const instant = fromLocalInput(at);
    const found: Record<string, string> = {};
    if (!instant) found.at = 'Give the date and time.';
    if (action === 'transfer' && !location.unit) found.unit = 'Name the unit the patient moves to.';
    setMissing(found);
    const payload = instant ? eventOf(instant) : null;
    if (!payload || Object.keys(found).length > 0) return;
    send.mutate(
      { version: visit.version, event: payload },
      {
        onSuccess: ({ encounter }) => {
          notifications.show({ color: 'green', message: `${EVENT_LABELS[payload.type]}: visit ${encounter.visitNumber}.` });
          onClose();
        },
        onError: (error) => {
          if (isVersionConflict(error)) void queryClient.invalidateQueries({ queryKey: encounterKeys.visit(visit.id) });
        },
      },
    );
  };

  const { label, danger } = BUTTONS[action];
  const confirmation = CONFIRMATIONS[action];
  let fields: ReactNode = null;
  if (action === 'admit' || action === 'transfer') fields = <LocationFields value={location} errors={errors} onChange={setLocation} />;
  if (action === 'discharge') {
    fields = (
      <>
        <NativeSelect label="Discharge disposition" data={codeChoices(DISCHARGE_DISPOSITIONS, 'Not given')} value={disposition} onChange={(e) => setDisposition(e.currentTarget.value)} />
        <TextInput label="Discharged to" description="The place or facility, e.g. Home with family, Riverside Nursing Center" autoComplete="off" maxLength={200} value={dischargedTo} error={errors.dischargedTo} onChange={(e) => setDischargedTo(e.currentTarget.value)} />
      </>
    );
  }
  if (action === 'change_class') {
    fields = (
      <NativeSelect label="New class" data={ENCOUNTER_CLASSES.map((c) => ({ value: c, label: CLASS_LABELS[c] }))} value={newClass} onChange={(e) => setNewClass(e.currentTarget.value as EncounterClass)} />
    );
  }

  return (
    <Modal opened onClose={onClose} title={`${label}: visit ${visit.visitNumber}`} size="lg">
      <form noValidate onSubmit={submit}>
        <Stack gap="sm">
          {confirmation && <Text>{confirmation}</Text>}
          <WhenField label={action.startsWith('cancel') ? 'Cancelled at' : 'Date and time'} value={at} error={errors.at} onChange={setAt} />
          {fields}
          {isVersionConflict(send.error) ? (
            <Alert color="red" variant="light" title="Someone else changed this visit since you opened it" role="alert">
              Nothing was saved. The visit has been reloaded with their change; what you typed is still here. Check the visit, then press “{label}” again
              if it is still right.
            </Alert>
          ) : (
            <ProblemAlert error={send.error} />
          )}
          <Group justify="flex-end">
            {/* Before a cancellation the safe choice has the focus, so a stray Enter changes nothing. */}
            <Button variant="default" onClick={onClose} data-autofocus={confirmation ? true : undefined}>
              {confirmation ? 'Keep as it is' : 'Close'}
            </Button>
            <Button type="submit" color={danger ? 'red.9' : undefined} loading={send.isPending}>
              {label}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
