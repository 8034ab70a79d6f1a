import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Mantine's default shades (6) give white-on-blue buttons and grey "dimmed" text below the
// WCAG AA contrast ratio of 4.5:1; shade 8 and grey 7 meet it.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] },
  dark: { '--mantine-color-dimmed': t.colors.dark[1] },
});
