import { Button, Group, Modal, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ProblemAlert } from '../../../components/ProblemAlert';

/** A form in a dialog: its fields, the server's problem if it refused, then Cancel and the action. */
export function FormModal({ title, onClose, onSubmit, error, pending, submitLabel, size = 'lg', children }: {
  title: string; onClose: () => void; onSubmit: () => void; error: unknown; pending: boolean; submitLabel: string; size?: string; children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {children}
          <ProblemAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
