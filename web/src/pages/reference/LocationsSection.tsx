import { Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useLocations, useSaveLocation, type HospitalLocation, type LocationKind } from '../../api/reference-data';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ActivationButton } from './ActivationButton';

/** What may be added under what (src/encounters/reference-data.ts PARENT_KIND). */
const CHILD_KINDS: Record<LocationKind, LocationKind[]> = { department: ['unit'], unit: ['room'], room: ['bed'], bed: [] };
const TOP_KINDS: LocationKind[] = ['department', 'unit'];
const KIND_LABELS: Record<LocationKind, string> = { department: 'Department', unit: 'Unit', room: 'Room', bed: 'Bed' };

type Editing = { location: HospitalLocation } | { kind: LocationKind; parent: HospitalLocation | null };

/** The hospital's places as a tree: departments, their units, the units' rooms and the rooms' beds. */
export function LocationsSection() {
  const locations = useLocations(true);
  const save = useSaveLocation();
  const [editing, setEditing] = useState<Editing | null>(null);
  const all = locations.data ?? [];
  const childrenOf = (parentId: string | null) => all.filter((l) => l.parentId === parentId);

  const setActive = (l: HospitalLocation, active: boolean) =>
    save.mutate(
      { id: l.id, input: { kind: l.kind, code: l.code, name: l.name, parentId: l.parentId, active } },
      { onSuccess: () => notifications.show({ color: 'green', message: `${active ? 'Reactivated' : 'Deactivated'} ${l.path}.` }) },
    );

  const renderTree = (parentId: string | null, label?: string) => {
    const items = childrenOf(parentId);
    if (items.length === 0) return null;
    return (
      <ul aria-label={label} style={{ margin: 0, paddingLeft: parentId ? '1.5rem' : 0, listStyle: 'none' }}>
        {items.map((l) => (
          <li key={l.id} data-path={l.path}>
            <Group gap="xs" py={4} wrap="wrap">
              <Badge color="gray.7" variant="filled" size="sm">
                {KIND_LABELS[l.kind]}
              </Badge>
              <Text fw={600}>{l.code}</Text>
              <Text>{l.name}</Text>
              {!l.active && (
                <Badge color="red.9" variant="outline" size="sm">
                  Inactive
                </Badge>
              )}
              {l.active &&
                CHILD_KINDS[l.kind].map((kind) => (
                  <Button key={kind} size="compact-xs" variant="default" aria-label={`Add ${kind} to ${l.path}`} onClick={() => setEditing({ kind, parent: l })}>
                    Add {kind}
                  </Button>
                ))}
              <Button size="compact-xs" variant="default" aria-label={`Rename ${l.path}`} onClick={() => setEditing({ location: l })}>
                Rename
              </Button>
              <ActivationButton size="compact-xs" name={l.path} active={l.active} onToggle={() => setActive(l, !l.active)} />
            </Group>
            {renderTree(l.id, `In ${l.path}`)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="locations-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="locations-heading">
          Locations
        </Title>
        <Group gap="xs">
          {TOP_KINDS.map((kind) => (
            <Button key={kind} variant={kind === 'unit' ? 'filled' : 'default'} onClick={() => setEditing({ kind, parent: null })}>
              Add a {kind}
            </Button>
          ))}
        </Group>
      </Group>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Units hold rooms, rooms hold beds; a unit may sit in a department. Admissions suggest these codes; a deactivated place is no longer suggested
          but stays on past visits.
        </Text>
        <ProblemAlert error={locations.error ?? (editing ? null : save.error)} />
        {locations.data?.length === 0 && <Text c="dimmed">No locations yet.</Text>}
        {renderTree(null, 'Locations')}
      </Stack>
      {editing && <LocationModal editing={editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}

function LocationModal({ editing, onClose }: { editing: Editing; onClose(): void }) {
  const save = useSaveLocation();
  const existing = 'location' in editing ? editing.location : null;
  const kind = existing?.kind ?? (editing as { kind: LocationKind }).kind;
  const parentId = existing ? existing.parentId : ((editing as { parent: HospitalLocation | null }).parent?.id ?? null);
  const parent = 'parent' in editing ? editing.parent : null;
  const form = useForm({
    initialValues: { code: existing?.code ?? '', name: existing?.name ?? '' },
    validate: {
      code: (v) => (/^[A-Za-z0-9._-]{1,20}$/.test(v.trim()) ? null : 'Up to 20 letters, digits, dots, dashes or underscores.'),
      name: (v) => (v.trim() ? null : 'Give a name.'),
    },
  });
  const title = existing ? `Rename ${existing.path}` : parent ? `Add a ${kind} to ${parent.path}` : `Add a ${kind}`;
  return (
    <Modal opened onClose={onClose} title={title}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          save.mutate(
            { id: existing?.id, input: { kind, code: values.code.trim().toUpperCase(), name: values.name.trim(), parentId, active: existing?.active ?? true } },
            {
              onSuccess: ({ location }) => {
                notifications.show({ color: 'green', message: `Saved ${KIND_LABELS[kind].toLowerCase()} ${location.path}.` });
                onClose();
              },
              onError: (error) => form.setErrors(fieldErrorsFor(error, { code: 'code', name: 'name', parentId: 'code' })),
            },
          ),
        )}
      >
        <Stack gap="sm">
          <TextInput label="Code" description="Short code used on wristbands and messages, e.g. 3W, 312, A" required autoComplete="off" data-autofocus {...form.getInputProps('code')} />
          <TextInput label="Name" description="e.g. 3 West Medical, Room 312, Bed A" required autoComplete="off" {...form.getInputProps('name')} />
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save {kind}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
