import { Button, type MantineSize } from '@mantine/core';

/**
 * Deactivate or reactivate an entry of the reference data, named for the entry ("Deactivate 3W/312").
 * Nothing is deleted: past visits keep naming what they named.
 */
export function ActivationButton({ name, active, size, onToggle }: { name: string; active: boolean; size: MantineSize | `compact-${MantineSize}`; onToggle(): void }) {
  const verb = active ? 'Deactivate' : 'Reactivate';
  return (
    <Button size={size} variant="outline" color={active ? 'red.9' : 'blue.9'} aria-label={`${verb} ${name}`} onClick={onToggle}>
      {verb}
    </Button>
  );
}
