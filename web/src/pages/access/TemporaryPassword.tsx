import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';

export interface IssuedPassword {
  username: string;
  password: string;
  reason: 'created' | 'reset';
}

/** Shows a temporary password once, for the administrator to pass on by a safe route. */
export function TemporaryPasswordModal({ issued, onClose }: { issued: IssuedPassword | null; onClose(): void }) {
  return (
    <Modal
      opened={issued !== null}
      onClose={onClose}
      title={issued?.reason === 'created' ? 'User created' : 'Password reset'}
    >
      {issued && (
        <Stack gap="sm">
          <Text>
            The temporary password for <strong>{issued.username}</strong> is shown only now. Give it to them in person or by phone;
            they must change it when they first sign in.
          </Text>
          <Code block data-testid="temporary-password" fz="lg">
            {issued.password}
          </Code>
          <Group justify="space-between">
            <CopyButton value={issued.password}>
              {({ copied, copy }) => (
                <Button variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy password'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
