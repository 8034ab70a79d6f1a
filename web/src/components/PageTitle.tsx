import { Title } from '@mantine/core';
import { useEffect } from 'react';

/** The page's one h1, also used as the browser tab's title. */
export function PageTitle({ children }: { children: string }) {
  useEffect(() => {
    document.title = `${children} · Chartroom`;
  }, [children]);
  return (
    <Title order={1} size="h2" mb="md">
      {children}
    </Title>
  );
}
