import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { PERMISSIONS } from '../../api/permissions';
import { useReleaseReference, useReleaseStaff, useRequestAction, type ReleaseRequestDetail } from '../../api/release';
import { useSession } from '../../session/SessionProvider';
import { ReleaseProblem } from './LegalChecklistView';
import { CorrectLegalCase } from './CorrectLegalCase';

type Move = 'validated' | 'in_process' | 'quality_check' | 'pending_information' | 'logged' | 'cancelled';
type Dialog = 'deny' | 'extend' | 'review-request' | 'review' | 'correct' | null;

const MOVE_LABELS: Record<Move, string> = {
  validated: 'Validate', in_process: 'Start work', quality_check: 'Send to quality check', pending_information: 'Pending information',
  logged: 'Information received', cancelled: 'Cancel request',
};

/** What the request's state allows (the server decides again: src/release/requests/workflow.ts). */
function movesFor(status: string, canReview: boolean): Move[] {
  switch (status) {
    case 'logged': return ['validated', 'pending_information', 'cancelled'];
    case 'pending_information': return ['logged', 'cancelled'];
    case 'validated': return ['in_process', 'pending_information', 'cancelled'];
    case 'in_process': return ['quality_check', 'pending_information', 'cancelled'];
    case 'quality_check': return canReview ? ['in_process'] : [];
    default: return [];
  }
}

function ActionModal({ title, opened, onClose, children }: { title: string; opened: boolean; onClose: () => void; children: ReactNode }) {
  return <Modal opened={opened} onClose={onClose} title={title}>{children}</Modal>;
}

/** The request's status actions, denial, review and extension. */
export function RequestActions({ detail }: { detail: ReleaseRequestDetail }) {
  const { request } = detail;
  const { hasPermission, session } = useSession();
  const canWrite = hasPermission(PERMISSIONS.releaseWrite);
  const canReview = hasPermission(PERMISSIONS.releaseReview);
  const action = useRequestAction(request.id);
  const reference = useReleaseReference();
  const staff = useReleaseStaff();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [ground, setGround] = useState('endangerment');
  const [explanation, setExplanation] = useState('');
  const [reason, setReason] = useState('');
  const [newDueDate, setNewDueDate] = useState('');
  const [reviewerId, setReviewerId] = useState('');
  const [decision, setDecision] = useState('upheld');
  const [licence, setLicence] = useState('');
  const open = (d: Dialog) => { action.reset(); setDialog(d); };
  const send = (name: string, body: unknown, close = true) => action.mutate({ action: name, body }, { onSuccess: () => close && setDialog(null) });

  const isOpen = ['logged', 'validated', 'in_process', 'quality_check', 'pending_information'].includes(request.status);
  const denial = request.denial;
  const grounds = reference.data?.denialGrounds ?? {};
  const reviewable = denial ? grounds[denial.ground]?.reviewable : false;
  const myReview = denial?.review && !denial.review.decision && denial.review.reviewer.id === session?.user?.id;

  return (
    <Stack gap="sm">
      <Group gap="sm" role="group" aria-label="Request actions">
        {canWrite && movesFor(request.status, canReview).map((m) => (
          <Button key={m} variant={m === 'cancelled' ? 'outline' : 'filled'} color={m === 'cancelled' ? 'red.9' : undefined}
            loading={action.isPending && dialog === null} onClick={() => { setDialog(null); action.mutate({ action: 'status', body: { to: m } }); }}>
            {MOVE_LABELS[m]}
          </Button>
        ))}
        {canWrite && (request.status === 'logged' || request.status === 'pending_information') && <Button variant="outline" onClick={() => open('correct')}>Correct the legal basis</Button>}
        {canWrite && isOpen && request.status !== 'quality_check' && <Button variant="outline" color="red.9" onClick={() => open('deny')}>Deny</Button>}
        {canWrite && isOpen && !request.extension && ['right-of-access', 'patient-directed'].includes(request.basis.kind) && <Button variant="outline" onClick={() => open('extend')}>Extend the due date</Button>}
        {canWrite && request.status === 'denied' && reviewable && !denial?.review && <Button onClick={() => open('review-request')}>Send denial for review</Button>}
        {canReview && myReview && <Button onClick={() => open('review')}>Record the review decision</Button>}
      </Group>
      {request.status === 'quality_check' && <Text size="sm">Release happens from the release packet, once its pages are checked.</Text>}
      {dialog === null && <ReleaseProblem error={action.error} />}

      {dialog === 'correct' && <CorrectLegalCase request={request} opened onClose={() => setDialog(null)} />}

      <ActionModal title="Deny the request" opened={dialog === 'deny'} onClose={() => setDialog(null)}>
        <Stack>
          <NativeSelect label="Ground" value={ground} onChange={(e) => setGround(e.currentTarget.value)}
            data={Object.entries(grounds).map(([code, g]) => ({ value: code, label: `${g.label} (${g.cite})${g.reviewable ? ' — reviewable' : ''}` }))} />
          <Textarea label="Explanation for the letter" value={explanation} onChange={(e) => setExplanation(e.currentTarget.value)} autosize minRows={3} />
          <ReleaseProblem error={action.error} />
          <Button color="red.9" loading={action.isPending} onClick={() => send('denial', { ground, explanation })}>Deny and make the letter</Button>
        </Stack>
      </ActionModal>

      <ActionModal title="Extend the due date" opened={dialog === 'extend'} onClose={() => setDialog(null)}>
        <Stack>
          <Text size="sm">One extension of up to 30 days, with a written notice sent within the first 30 days (45 CFR 164.524(b)(2)).</Text>
          <Textarea label="Reason for the delay" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
          <TextInput label="New due date" type="date" description="Empty: 30 days after the current due date." value={newDueDate} onChange={(e) => setNewDueDate(e.currentTarget.value)} />
          <ReleaseProblem error={action.error} />
          <Button loading={action.isPending} onClick={() => send('extension', { reason, newDueDate: newDueDate || null })}>Extend and make the notice</Button>
        </Stack>
      </ActionModal>

      <ActionModal title="Send the denial for review" opened={dialog === 'review-request'} onClose={() => setDialog(null)}>
        <Stack>
          <Text size="sm">A licensed health care professional who took no part in the denial reviews it (45 CFR 164.524(a)(4)).</Text>
          <NativeSelect label="Reviewer" value={reviewerId} onChange={(e) => setReviewerId(e.currentTarget.value)}
            data={[{ value: '', label: 'Choose a reviewer' }, ...(staff.data?.reviewers ?? []).filter((r) => r.id !== denial?.deniedBy.id).map((r) => ({ value: r.id, label: r.name }))]} />
          <ReleaseProblem error={action.error} />
          <Button loading={action.isPending} disabled={!reviewerId} onClick={() => send('denial/review-request', { reviewerId })}>Send for review</Button>
        </Stack>
      </ActionModal>

      <ActionModal title="Review of the denial" opened={dialog === 'review'} onClose={() => setDialog(null)}>
        <Stack>
          <NativeSelect label="Decision" value={decision} onChange={(e) => setDecision(e.currentTarget.value)} data={[{ value: 'upheld', label: 'Uphold the denial' }, { value: 'overturned', label: 'Overturn the denial' }]} />
          <TextInput label="Your licence" value={licence} onChange={(e) => setLicence(e.currentTarget.value)} />
          <Textarea label="Note" value={explanation} onChange={(e) => setExplanation(e.currentTarget.value)} />
          <ReleaseProblem error={action.error} />
          <Button loading={action.isPending} onClick={() => send('denial/review', { decision, licence, note: explanation || null })}>Record the decision</Button>
        </Stack>
      </ActionModal>
    </Stack>
  );
}
