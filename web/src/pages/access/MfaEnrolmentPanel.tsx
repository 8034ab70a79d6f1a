import { Button, Code, Group, Image, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { apiRequest } from '../../api/client';
import type { MfaEnrolment, MfaEnrolmentConfirmation } from '../../api/types';
import { fieldErrorsFor } from '../../components/formErrors';
import { ProblemAlert } from '../../components/ProblemAlert';

interface Props {
  onConfirmed(confirmation: MfaEnrolmentConfirmation): void;
  /** Offered where setting up is a choice (My account); at a required sign-in step the page offers to sign out instead. */
  onCancel?: () => void;
}

/** Starts MFA enrolment, shows the QR code and secret, and confirms with the first code. */
export function MfaEnrolmentPanel({ onConfirmed, onCancel }: Props) {
  const start = useMutation({
    mutationFn: () => apiRequest<MfaEnrolment>('/api/auth/mfa/enrolment', { method: 'POST' }),
  });
  const started = useRef(false);
  useEffect(() => {
    // Each call makes a new secret, so ask once even when React runs effects twice.
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start.mutate]);

  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value.replace(/\s/g, '')) ? null : 'Enter the 6-digit code your app shows.') },
  });
  const confirm = useMutation({
    mutationFn: (code: string) =>
      apiRequest<MfaEnrolmentConfirmation>('/api/auth/mfa/enrolment/confirm', { method: 'POST', body: { code } }),
    onSuccess: onConfirmed,
    onError: (error) => {
      form.setFieldValue('code', '');
      form.setErrors(fieldErrorsFor(error, { code: 'code' }));
    },
  });

  if (start.isPending || start.isIdle) return <Loader role="status" aria-label="Preparing your authenticator set-up" />;
  if (start.error || !start.data) {
    return (
      <Stack gap="sm">
        <ProblemAlert error={start.error} />
        <Group gap="sm">
          <Button onClick={() => start.mutate()}>Try again</Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    );
  }
  const enrolment = start.data;

  return (
    <Stack gap="sm">
      <Text>
        Scan this QR code with an authenticator app on your phone (for example Microsoft Authenticator, Google Authenticator or
        FreeOTP), then enter the 6-digit code it shows.
      </Text>
      <Image
        src={enrolment.qrDataUrl}
        alt="QR code for adding your Chartroom account to an authenticator app"
        w={200}
        h={200}
        fit="contain"
        mx="auto"
      />
      <Text size="sm">If you cannot scan the code, type this key into the app instead:</Text>
      <Code block data-testid="mfa-secret" style={{ wordBreak: 'break-all', fontSize: 'var(--mantine-font-size-md)' }}>
        {enrolment.secret}
      </Code>
      <ProblemAlert error={confirm.error} />
      <form onSubmit={form.onSubmit((values) => confirm.mutate(values.code.replace(/\s/g, '')))} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            {...form.getInputProps('code')}
          />
          {onCancel ? (
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onCancel}>
                Cancel
              </Button>
              <Button type="submit" loading={confirm.isPending}>
                Turn on two-step verification
              </Button>
            </Group>
          ) : (
            <Button type="submit" loading={confirm.isPending}>
              Turn on two-step verification
            </Button>
          )}
        </Stack>
      </form>
    </Stack>
  );
}
