import { Alert, Button, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { describePublicLink, downloadWithPasscode, type LinkStatus } from '../../../api/release-delivery';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatUtc } from '../../../components/time';
import { AuthLayout } from '../../access/AuthLayout';

const CLOSED: Record<Exclude<LinkStatus, 'active'>, string> = {
  expired: 'This download link has expired.',
  'used-up': 'This download link has been used as many times as it allows.',
  locked: 'This download link is locked after too many wrong passcodes.',
  revoked: 'This download link was withdrawn.',
};

/** Saves a downloaded file under its name, as a link with `download` does. */
function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The recipient's page: no sign-in, a passcode, and the file. Says nothing about the patient. */
export function PublicDownloadPage() {
  const { token = '' } = useParams();
  const [passcode, setPasscode] = useState('');
  const link = useQuery({ queryKey: ['public-download', token], queryFn: () => describePublicLink(token), retry: false });
  const download = useMutation({
    mutationFn: () => downloadWithPasscode(token, passcode.trim()),
    onSuccess: (blob) => {
      if (link.data) saveFile(blob, link.data.fileName);
      void link.refetch();
    },
    onError: () => void link.refetch(),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    download.mutate();
  };

  const closedStatus = link.data && link.data.status !== 'active' ? link.data.status : undefined;
  const wrongPasscode = download.error instanceof ApiError && download.error.code === 'release.passcode-wrong' ? download.error.message : undefined;

  return (
    <AuthLayout title="Download your records" width={480}>
      {link.isPending && <Loader role="status" aria-label="Checking the link" />}
      {link.isError && (
        <Alert color="red" variant="light" role="alert" title="Link not found">
          This download link is not one we sent, or it was copied incompletely. Check the address in the e-mail.
        </Alert>
      )}
      {closedStatus && (
        <Alert color="red" variant="light" role="alert" title="This link no longer works">
          {CLOSED[closedStatus]} Contact the records department that sent it to ask for a new one.
        </Alert>
      )}
      {link.data?.status === 'active' && (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text>
              Enter the passcode we sent you separately to download <strong>{link.data.fileName}</strong>. The link works until{' '}
              {formatUtc(link.data.expiresAt)}.
            </Text>
            <TextInput
              label="Passcode"
              description="8 digits"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={8}
              required
              value={passcode}
              onChange={(e) => setPasscode(e.currentTarget.value)}
              error={wrongPasscode}
            />
            {download.error && !wrongPasscode && <ProblemAlert error={download.error} />}
            {download.isSuccess && (
              <Alert color="green" variant="light" role="status" title="Downloaded">
                Your file was downloaded. Keep it somewhere safe.
              </Alert>
            )}
            <Button type="submit" loading={download.isPending}>
              Download
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
