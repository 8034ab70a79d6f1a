import { Anchor, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useActiveSession, useSession } from '../../session/SessionProvider';
import { NAVIGATION } from '../../shell/navigation';

export function HomePage() {
  const session = useActiveSession();
  const { hasPermission } = useSession();
  const available = NAVIGATION.flatMap((section) => section.items).filter(
    (item) => !item.comingSoon && (!item.permission || hasPermission(item.permission)),
  );
  return (
    <Stack gap="sm">
      <PageTitle>{`Welcome, ${session.user.displayName}`}</PageTitle>
      <Text>Chartroom keeps the hospital's medical records: the legal record, its release, and its completion.</Text>
      <Text>You can open:</Text>
      <List>
        {available.map((item) => (
          <List.Item key={item.path}>
            <Anchor component={Link} to={item.path}>
              {item.label}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
