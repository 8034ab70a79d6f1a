import { Button, Divider, Group, Modal, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { roleLabel } from '../../api/roles';
import type { Role, User } from '../../api/types';
import { useUserActions } from '../../api/users';
import { ProblemAlert } from '../../components/ProblemAlert';

/** Actions that need a second "are you sure?" before they happen. */
export type ConfirmedAction = 'disable' | 'reset-password' | 'reset-mfa';

interface Props {
  user: User | null;
  roles: Role[];
  /** The signed-in administrator, who may not disable their own account. */
  selfId: string;
  onConfirm(action: ConfirmedAction, user: User): void;
  onClose(): void;
}

/**
 * Everything an administrator can do to one account, as plain buttons in a dialog: a dialog is
 * reachable by keyboard and screen reader alike, where Mantine's menu breaks ARIA's menu rules.
 */
export function ManageUserModal({ user, roles, selfId, onConfirm, onClose }: Props) {
  const { update, unlock } = useUserActions();
  const [role, setRole] = useState('');
  useEffect(() => {
    setRole(user?.role ?? '');
    update.reset();
    unlock.reset();
    // Start afresh only when another user is chosen, not when the list refreshes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user?.id]);

  const done = (message: string) => notifications.show({ message, color: 'green' });

  return (
    <Modal opened={user !== null} onClose={onClose} title={user ? `Manage ${user.username}` : ''} size="lg">
      {user && (
        <Stack gap="md">
          <Text>
            {user.displayName} · {roleLabel(user.role, roles)} · {!user.active ? 'disabled' : user.locked ? 'locked' : 'active'}
          </Text>
          <ProblemAlert error={update.error ?? unlock.error} />

          <section aria-labelledby="manage-role-heading">
            <Title order={3} size="h5" id="manage-role-heading" mb="xs">
              Role
            </Title>
            <Group align="flex-end" gap="sm">
              {/* The heading above names the list: a second visible "Role" would only repeat it. */}
              <NativeSelect
                aria-labelledby="manage-role-heading"
                value={role}
                onChange={(event) => setRole(event.currentTarget.value)}
                data={roles.map((r) => ({ value: r.role, label: r.label }))}
              />
              <Button
                onClick={() => update.mutate({ id: user.id, change: { role } }, { onSuccess: () => done(`${user.username} is now ${roleLabel(role, roles)}.`) })}
                loading={update.isPending && update.variables?.change.role !== undefined}
                disabled={role === user.role}
              >
                Save role
              </Button>
            </Group>
            <Text size="sm" c="dimmed" mt={4}>
              {user.id === selfId
                ? 'Changing your own role signs you out; you sign in again with the new role.'
                : 'Changing the role signs the user out; they sign in again with the new role.'}
            </Text>
          </section>

          <Divider />

          <section aria-labelledby="manage-account-heading">
            <Title order={3} size="h5" id="manage-account-heading" mb="xs">
              Account
            </Title>
            <Group gap="sm">
              {user.locked && (
                <Button variant="default" loading={unlock.isPending} onClick={() => unlock.mutate(user.id, { onSuccess: () => done(`${user.username} is unlocked.`) })}>
                  Unlock
                </Button>
              )}
              {user.active ? (
                <Button variant="default" disabled={user.id === selfId} onClick={() => onConfirm('disable', user)}>
                  Disable
                </Button>
              ) : (
                <Button
                  variant="default"
                  loading={update.isPending && update.variables?.change.active !== undefined}
                  onClick={() => update.mutate({ id: user.id, change: { active: true } }, { onSuccess: () => done(`${user.username} is enabled.`) })}
                >
                  Enable
                </Button>
              )}
              <Button variant="default" onClick={() => onConfirm('reset-password', user)}>
                Reset password
              </Button>
              {user.mfaEnrolled && (
                <Button variant="default" onClick={() => onConfirm('reset-mfa', user)}>
                  Reset two-step verification
                </Button>
              )}
            </Group>
            {user.id === selfId && (
              <Text size="sm" c="dimmed" mt={4}>
                You cannot disable your own account.
              </Text>
            )}
          </section>
        </Stack>
      )}
    </Modal>
  );
}
