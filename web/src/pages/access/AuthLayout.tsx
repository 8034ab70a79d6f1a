import { Box, Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageTitle } from '../../components/PageTitle';

/** The frame of the log-in steps: the product's name, one heading, one card. */
export function AuthLayout({ title, children, width = 420 }: { title: string; children: ReactNode; width?: number }) {
  return (
    <Box bg="gray.0" mih="100vh">
      <Box component="header" px="md" py="sm" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text fw={700} size="lg">
          Chartroom
        </Text>
      </Box>
      <Center component="main" px="md" py="xl">
        <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={width}>
          <Stack gap="md">
            <PageTitle>{title}</PageTitle>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
