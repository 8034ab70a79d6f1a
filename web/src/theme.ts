import { Alert, createTheme, Modal, Notification, type CSSVariablesResolver } from '@mantine/core';

// Mantine's default shades (6) give white-on-blue buttons and grey "dimmed" text below the
// WCAG AA contrast ratio of 4.5:1; shade 8 and grey 7 meet it.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
  // People who asked their system for less motion get dialogs and menus without animation (WCAG 2.3.3).
  respectReducedMotion: true,
  components: {
    // A light alert's title takes its colour's light shade (yellow on pale yellow fails contrast);
    // the tinted background and border carry the colour, the words stay dark.
    Alert: Alert.extend({
      vars: (_theme, props) => ({ root: props.variant === 'light' || !props.variant ? { '--alert-color': 'var(--mantine-color-text)' } : {} }),
    }),
    // Close buttons are icons: give them a name a screen reader can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss message' } } }),
    // A dialog's title bar is not the page's banner: as <header> outside <main> it would be a second one.
    ModalHeader: { defaultProps: { component: 'div' } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  // Error text in red 6 is 3.3:1 on white; red 9 is 5.5:1.
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: { '--mantine-color-dimmed': t.colors.dark[1] },
});
