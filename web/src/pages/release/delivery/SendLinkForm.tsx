import { Alert, Button, Code, Radio, Select, Stack, Text, TextInput, Title, Group } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../api/client';
import { sendDownloadLink, storedFilesOf, type SentLink } from '../../../api/release-delivery';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatUtc } from '../../../components/time';
import { downloadLinksKey } from './DownloadLinksPanel';

/** Sends a stored file of the patient's by a secure link: the link by e-mail, the passcode separately. */
export function SendLinkForm({ patientId, requestId }: { patientId: string; requestId?: string }) {
  const queryClient = useQueryClient();
  const files = useQuery({ queryKey: ['release', 'stored-files', patientId], queryFn: () => storedFilesOf(patientId) });
  const [sha256, setSha256] = useState<string | null>(null);
  const [recipientEmail, setRecipientEmail] = useState('');
  const [passcodeBy, setPasscodeBy] = useState<'email' | 'phone'>('email');
  const [sent, setSent] = useState<SentLink | undefined>();
  const send = useMutation({
    mutationFn: () => {
      const file = files.data?.find((f) => f.sha256 === sha256);
      return sendDownloadLink({ patientId, requestId, sha256: sha256 ?? '', contentType: file?.contentType ?? 'application/pdf', recipientEmail: recipientEmail.trim(), passcodeBy });
    },
    onSuccess: (link) => {
      setSent(link);
      setRecipientEmail('');
      void queryClient.invalidateQueries({ queryKey: downloadLinksKey(patientId) });
    },
  });
  const fieldErrors = send.error instanceof ApiError ? send.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(undefined);
    send.mutate();
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="send-link-heading">
      <Title order={2} size="h3" id="send-link-heading">
        Send secure link
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={520}>
          <Select
            label="File to send"
            placeholder={files.data?.length === 0 ? 'No stored files for this patient' : 'Choose a file'}
            data={(files.data ?? []).map((f) => ({ value: f.sha256, label: f.label }))}
            value={sha256}
            onChange={setSha256}
            required
            error={fieldErrors.sha256}
          />
          <TextInput
            label="Recipient's e-mail"
            type="email"
            required
            value={recipientEmail}
            onChange={(e) => setRecipientEmail(e.currentTarget.value)}
            error={fieldErrors.recipientEmail}
          />
          <Radio.Group label="Passcode goes" value={passcodeBy} onChange={(v) => setPasscodeBy(v as 'email' | 'phone')}>
            <Group mt={4}>
              <Radio value="email" label="By a second e-mail" />
              <Radio value="phone" label="By telephone (I read it out)" />
            </Group>
          </Radio.Group>
          <ProblemAlert error={files.error ?? (Object.keys(fieldErrors).length ? undefined : send.error)} />
          <Group>
            <Button type="submit" loading={send.isPending}>
              Send link
            </Button>
          </Group>
        </Stack>
      </form>
      {sent && (
        <Alert color="green" variant="light" role="status" title="Link sent">
          <Text>
            {sent.emailsSent === 2 ? 'The link and, separately, its passcode were e-mailed.' : 'The link was e-mailed.'} It works until{' '}
            {formatUtc(sent.expiresAt)}.
          </Text>
          {sent.passcode && (
            <Text mt="xs">
              Read this passcode to the recipient by telephone; it is not shown again: <Code fz="md">{sent.passcode}</Code>
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}
