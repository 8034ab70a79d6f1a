import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle';

export function ForbiddenPage() {
  return (
    <Stack gap="sm">
      <PageTitle>Not permitted</PageTitle>
      <Alert color="red" variant="light" title="You do not have permission to open this page" role="alert">
        Your role does not include this part of Chartroom. If you need it for your work, ask your administrator.
      </Alert>
      <Text>
        <Anchor component={Link} to="/">
          Go to the start page
        </Anchor>
      </Text>
    </Stack>
  );
}
