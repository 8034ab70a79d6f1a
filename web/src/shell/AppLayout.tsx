import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation } from 'react-router';
import { roleLabel, useRoles } from '../api/roles';
import { useActiveSession, useSession } from '../session/SessionProvider';
import { IdleLogoff } from './IdleLogoff';
import { NAVIGATION } from './navigation';

export function AppLayout() {
  const session = useActiveSession();
  const { hasPermission, signOut } = useSession();
  const roles = useRoles();
  const location = useLocation();
  const [navbarOpen, navbar] = useDisclosure(false);

  const sections = NAVIGATION.map((section) => ({
    ...section,
    items: section.items.filter((item) => !item.permission || hasPermission(item.permission)),
  })).filter((section) => section.items.length > 0);


  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !navbarOpen } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navbarOpen} onClick={navbar.toggle} hiddenFrom="sm" size="sm" aria-label="Show or hide the menu" />
            <Text component={Link} to="/" fw={700} size="lg" c="inherit" td="none">
              Chartroom
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text size="sm" data-testid="signed-in-user">
              {session.user.displayName}
              <Text component="span" size="sm" c="dimmed">
                {' · '}
                {roleLabel(session.user.role, roles.data)}
              </Text>
            </Text>
            <Button variant="outline" size="xs" onClick={() => void signOut('user')}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {sections.map((section) => (
            <div key={section.label}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mt="sm" mb={4}>
                {section.label}
              </Text>
              {section.items.map((item) => {
                const active = location.pathname === item.path || location.pathname.startsWith(`${item.path}/`);
                return (
                  <NavLink
                    key={item.path}
                    component={Link}
                    to={item.path}
                    label={item.label}
                    active={active}
                    // Filled: the light variant's blue-on-blue fails contrast when hovered.
                    variant="filled"
                    aria-current={active ? 'page' : undefined}
                    onClick={navbar.close}
                  />
                );
              })}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>

      <IdleLogoff timeoutSeconds={session.idleTimeoutSeconds} />
    </AppShell>
  );
}
