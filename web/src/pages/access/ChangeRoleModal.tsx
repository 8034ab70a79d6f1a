import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Role, User } from '../../api/types';
import { useUserActions } from '../../api/users';
import { ProblemAlert } from '../../components/ProblemAlert';

export function ChangeRoleModal({ user, roles, onClose }: { user: User | null; roles: Role[]; onClose(): void }) {
  const { update } = useUserActions();
  const [role, setRole] = useState('');
  useEffect(() => {
    setRole(user?.role ?? '');
    update.reset();
    // Reset only when another user is chosen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id]);

  const save = () => {
    if (!user) return;
    update.mutate({ id: user.id, change: { role } }, { onSuccess: onClose });
  };

  return (
    <Modal opened={user !== null} onClose={onClose} title={`Change the role of ${user?.username ?? ''}`}>
      <Stack gap="sm">
        <Text size="sm">The new role takes effect at the user’s next request.</Text>
        <ProblemAlert error={update.error} />
        <NativeSelect label="Role" value={role} onChange={(event) => setRole(event.currentTarget.value)} data={roles.map((r) => ({ value: r.role, label: r.label }))} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save} loading={update.isPending} disabled={role === user?.role}>
            Save role
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
