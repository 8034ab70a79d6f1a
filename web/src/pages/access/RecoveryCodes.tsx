import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';

/** Shows the recovery codes once; the server keeps only their hashes. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" title="This is the only time you will see these codes" role="status">
        Each code lets you sign in once if you lose your phone. Keep them somewhere safe, away from your phone, such as a
        password manager or a printed copy in a locked drawer.
      </Alert>
      <SimpleGrid cols={2} spacing="xs" component="ul" data-testid="recovery-codes" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {codes.map((code) => (
          <li key={code}>
            <Code fz="md">{code}</Code>
          </li>
        ))}
      </SimpleGrid>
      <Group justify="space-between">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>I have saved these codes</Button>
      </Group>
      <Text size="sm" c="dimmed">
        You can get new codes at any time under My account; these then stop working.
      </Text>
    </Stack>
  );
}
