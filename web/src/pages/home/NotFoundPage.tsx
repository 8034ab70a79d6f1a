import { Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle';

export function NotFoundPage() {
  return (
    <Stack gap="sm">
      <PageTitle>Page not found</PageTitle>
      <Text>There is no page at this address.</Text>
      <Text>
        <Anchor component={Link} to="/">
          Go to the start page
        </Anchor>
      </Text>
    </Stack>
  );
}
