import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, VisuallyHidden } from '@mantine/core';
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
  // Shown once the roles' labels are in, so the header never flickers from "Admin" to "Administrator".
  const role = roles.isPending ? null : roleLabel(session.user.role, roles.data);

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
              {/* The built-in administrator is called "Administrator": say it once, not "Administrator · Administrator". */}
              {role && session.user.displayName.trim().toLowerCase() !== role.toLowerCase() && (
                <Text component="span" size="sm" c="dimmed">
                  {' · '}
                  {role}
                </Text>
              )}
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
                    rightSection={item.comingSoon ? <ComingSoonMark /> : undefined}
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

/** Marks a menu entry whose page is not built yet; screen readers hear "(coming soon)" after its name. */
function ComingSoonMark() {
  return (
    <>
      {/* Filled grey keeps the white text readable on the white menu and on the blue of the current page. */}
      <Badge size="xs" color="gray.7" variant="filled" aria-hidden>
        Soon
      </Badge>
      <VisuallyHidden>(coming soon)</VisuallyHidden>
    </>
  );
}
