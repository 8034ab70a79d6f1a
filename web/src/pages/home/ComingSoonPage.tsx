import { Alert, Stack, Text } from '@mantine/core';
import { PageTitle } from '../../components/PageTitle';

/** Holds the place of a part of the department's work that is not built yet. */
export function ComingSoonPage({ title, purpose }: { title: string; purpose: string }) {
  return (
    <Stack gap="sm">
      <PageTitle>{title}</PageTitle>
      <Text>{purpose}</Text>
      <Alert color="blue" variant="light" title="Coming soon" role="status">
        This part of Chartroom is not available yet.
      </Alert>
    </Stack>
  );
}
