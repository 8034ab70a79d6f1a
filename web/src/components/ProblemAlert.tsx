import { Alert, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

// Titles a person understands for the codes they are likely to meet; the server's `detail` says the rest.
const TITLES: Record<string, string> = {
  'auth.invalid-credentials': 'Sign-in failed',
  'auth.locked': 'Account locked',
  'auth.mfa-invalid': 'Code not accepted',
  'auth.password-policy': 'Password not accepted',
  'auth.csrf': 'Please reload the page',
  'access.forbidden': 'Not permitted',
  'access.emergency-available': 'Not permitted without emergency access',
  'access.self-review': 'Not permitted',
  'access.already-reviewed': 'Already reviewed',
  'user.username-taken': 'Username taken',
  'request.invalid': 'Please check the form',
  'encounter.version-conflict': 'Someone else changed this visit',
  'encounter.not-allowed': 'Not possible for this visit now',
  'encounter.visit-number-taken': 'Visit number taken',
  'provider.taken': 'Already entered',
  'location.taken': 'Code already used here',
  'location.has-children': 'Not possible while it holds other places',
  'rate-limited': 'Too many attempts',
  conflict: 'Already exists',
  'not-found': 'Not found',
  network: 'No connection',
};

export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const { problem } = error;
    const title = (problem.code && TITLES[problem.code]) || problem.title || 'Something went wrong';
    return { title, detail: problem.detail ?? error.message };
  }
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
}

/** Shows an error from the API in words, with the server's explanation and, when given, what the page adds to it. */
export function ProblemAlert({ error, hint }: { error: unknown; hint?: ReactNode }) {
  if (!error) return null;
  const { title, detail } = describeError(error);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {detail}
      {hint && (
        <Text size="sm" mt={4}>
          {hint}
        </Text>
      )}
    </Alert>
  );
}
