import { Button, Group, Modal, Paper, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { IDENTITY_METHODS, useLegalCheck, useRequestAction, type ReleaseRequest } from '../../api/release';
import { draftFromRequest, legalCaseOf, type IntakeDraft } from './intake-draft';
import { Select } from './intake-fields';
import { LegalBasisFields } from './LegalBasisFields';
import { LegalChecklistView, ReleaseProblem } from './LegalChecklistView';

/** Corrects the legal basis and its papers of a logged request (the corrected authorization has arrived), with the live checklist. */
export function CorrectLegalCase({ request, opened, onClose }: { request: ReleaseRequest; opened: boolean; onClose: () => void }) {
  const [draft, setDraft] = useState<IntakeDraft>(() => draftFromRequest(request));
  const check = useLegalCheck(opened ? legalCaseOf(draft) : null);
  const action = useRequestAction(request.id);
  const set = (change: (d: IntakeDraft) => IntakeDraft) => setDraft(change);
  return (
    <Modal opened={opened} onClose={onClose} title="Correct the legal basis" size="xl">
      <Group align="flex-start" grow>
        <Stack gap="sm">
          <Select label="How the identity was verified" value={draft.identityMethod} onChange={(v) => set((d) => ({ ...d, identityMethod: v }))} choices={IDENTITY_METHODS} placeholder="Not verified yet" />
          <LegalBasisFields draft={draft} set={set} />
        </Stack>
        <Paper withBorder p="sm" component="section" aria-labelledby="correction-checklist">
          <Title order={3} size="h5" id="correction-checklist" mb="xs">Checklist of the corrected papers</Title>
          {check.data && <LegalChecklistView items={check.data.items} label="Checklist of the corrected papers" testId="correction-checklist" />}
        </Paper>
      </Group>
      <ReleaseProblem error={action.error} />
      <Button mt="md" loading={action.isPending} onClick={() => action.mutate({ action: 'legal-case', method: 'PUT', body: legalCaseOf(draft) }, { onSuccess: onClose })}>
        Save the correction
      </Button>
    </Modal>
  );
}
