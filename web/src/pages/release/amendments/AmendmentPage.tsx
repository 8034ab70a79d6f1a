import { Anchor, Button, Checkbox, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  amendmentLetterUrl, DENIAL_GROUNDS, notificationLetterUrl, useAmendment, useAmendmentAction, type AmendmentDetail, type DenialGround,
} from '../../../api/amendments';
import { localToday } from '../../../api/disclosures';
import { PERMISSIONS } from '../../../api/permissions';
import { Facts } from '../../../components/Facts';
import { fieldErrorsFor } from '../../../components/formErrors';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useSession } from '../../../session/SessionProvider';
import { ExtendModal } from '../disclosures/AccountingPage';
import { FormModal } from '../disclosures/FormModal';
import { AmendmentStatus } from './AmendmentsSection';

type Flow = 'extend' | 'accept' | 'deny' | 'statement' | null;

/** One amendment request: its deadline, the accept and deny flows, letters, and after a denial the statements. */
export function AmendmentPage() {
  const { id = '' } = useParams();
  const { hasPermission } = useSession();
  const loaded = useAmendment(id);
  const act = useAmendmentAction(id);
  const [flow, setFlow] = useState<Flow>(null);
  if (loaded.isPending) return <Loader role="status" aria-label="Loading the amendment request" />;
  if (loaded.error) return <ProblemAlert error={loaded.error} />;
  const a = loaded.data;
  const canWrite = hasPermission(PERMISSIONS.releaseWrite);
  const canDecide = hasPermission(PERMISSIONS.releaseReview);
  const close = () => {
    act.reset();
    setFlow(null);
  };
  const done = { onSuccess: () => setFlow(null) };
  return (
    <Stack gap="md">
      <PageTitle>Amendment request</PageTitle>
      <Paper withBorder p="md" component="section" aria-labelledby="amendment-request">
        <Title order={2} size="h4" id="amendment-request" mb="sm">
          Request
        </Title>
        <Facts
          items={[
            ['Patient', <Anchor component={Link} to={`/patients/${encodeURIComponent(a.patientId)}`}>Patient summary</Anchor>],
            ['Status', <AmendmentStatus status={a.status} />],
            ['Received', a.receivedOn],
            ['Due', a.extendedDueOn ? `${a.extendedDueOn} (extended from ${a.dueOn}: ${a.extensionReason})` : a.dueOn],
            ['Requested change', a.requestedChange],
            ['Documents', a.documentIds.length ? `${a.documentIds.length} named` : 'None named'],
            ['Amendment', a.amendmentText],
            ['Denied because', a.denialBasis ? `${DENIAL_GROUNDS.find((g) => g.code === a.denialBasis)?.label}. ${a.denialExplanation ?? ''}` : undefined],
            ['Decided', a.decidedAt ? `${a.decidedAt.slice(0, 10)} by ${a.decidedBy}` : undefined],
          ]}
        />
        <Group gap="sm" mt="md" role="group" aria-label="Amendment actions">
          {a.status === 'open' && canDecide && <Button onClick={() => setFlow('accept')}>Accept</Button>}
          {a.status === 'open' && canDecide && (
            <Button variant="outline" color="red.9" onClick={() => setFlow('deny')}>
              Deny
            </Button>
          )}
          {a.status === 'open' && canWrite && !a.extendedDueOn && (
            <Button variant="default" onClick={() => setFlow('extend')}>
              Extend due date
            </Button>
          )}
          {a.hasLetter && (
            <Button component="a" variant="default" href={amendmentLetterUrl(a.id)} target="_blank" rel="noopener">
              {a.status === 'accepted' ? 'Acceptance letter' : 'Denial letter'}
            </Button>
          )}
        </Group>
      </Paper>

      {a.status === 'accepted' && <Notifications amendment={a} />}
      {a.status === 'denied' && (
        <Paper withBorder p="md" component="section" aria-labelledby="amendment-statements">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="amendment-statements">
              Statements
            </Title>
            {canWrite && (
              <Group gap="xs">
                <Button size="sm" variant="default" onClick={() => setFlow('statement')}>
                  Record a statement
                </Button>
                {!a.sendWithDisclosures && (
                  <Button size="sm" variant="default" onClick={() => act.mutate({ type: 'send-with-disclosures' })}>
                    Patient asks to send with disclosures
                  </Button>
                )}
              </Group>
            )}
          </Group>
          {a.sendWithDisclosures && <Text size="sm">The request and the denial go with later disclosures of the information.</Text>}
          {a.statements.length === 0 ? (
            <Text c="dimmed">No statement of disagreement filed.</Text>
          ) : (
            <Stack gap="xs">
              {a.statements.map((s) => (
                <Text key={s.id}>
                  <strong>{s.kind === 'disagreement' ? 'Statement of disagreement' : 'Our rebuttal'}</strong> ({s.receivedOn}): {s.text}
                </Text>
              ))}
            </Stack>
          )}
          {!flow && <ProblemAlert error={act.error} />}
        </Paper>
      )}

      {flow === 'extend' && <ExtendModal onClose={close} onSubmit={(reason) => act.mutate({ type: 'extension', body: { reason } }, done)} error={act.error} pending={act.isPending} />}
      {flow === 'accept' && <AcceptModal onClose={close} onSubmit={(body) => act.mutate({ type: 'accept', body }, done)} error={act.error} pending={act.isPending} />}
      {flow === 'deny' && <DenyModal onClose={close} onSubmit={(body) => act.mutate({ type: 'deny', body }, done)} error={act.error} pending={act.isPending} />}
      {flow === 'statement' && <StatementModal onClose={close} onSubmit={(body) => act.mutate({ type: 'statements', body }, done)} error={act.error} pending={act.isPending} hasDisagreement={a.statements.some((s) => s.kind === 'disagreement')} />}
    </Stack>
  );
}

function Notifications({ amendment }: { amendment: AmendmentDetail }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="amendment-notifications">
      <Title order={2} size="h4" id="amendment-notifications" mb="sm">
        Recipients told of the amendment
      </Title>
      {amendment.notifications.length === 0 ? (
        <Text c="dimmed">No one to tell.</Text>
      ) : (
        <Stack gap={4}>
          {amendment.notifications.map((n) => (
            <Text key={n.id}>
              {n.recipientName}
              {n.recipientAddress ? `, ${n.recipientAddress}` : ''} ({n.source === 'patient-named' ? 'named by the patient' : 'earlier recipient'}) ·{' '}
              <Anchor href={notificationLetterUrl(amendment.id, n.id)} target="_blank" rel="noopener">
                Notice to {n.recipientName}
              </Anchor>
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** "Name; address" lines, one recipient a line. */
const parseRecipients = (text: string) =>
  text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name, ...rest] = line.split(';');
    return { name: name.trim(), address: rest.join(';').trim() || null };
  });

interface ModalProps<T> { onClose: () => void; onSubmit: (body: T) => void; error: unknown; pending: boolean }

function AcceptModal({ onSubmit, error, ...props }: ModalProps<{ amendmentText: string; notify: { name: string; address: string | null }[]; notifyPriorRecipients: boolean }>) {
  const [amendmentText, setText] = useState('');
  const [recipients, setRecipients] = useState('');
  const [prior, setPrior] = useState(false);
  const errors = fieldErrorsFor(error, { amendmentText: 'amendmentText' });
  return (
    <FormModal title="Accept the amendment" submitLabel="Accept" error={error} {...props} onSubmit={() => onSubmit({ amendmentText, notify: parseRecipients(recipients), notifyPriorRecipients: prior })}>
      <Textarea label="The amendment, as added to the record" required value={amendmentText} onChange={(e) => setText(e.currentTarget.value)} error={errors.amendmentText} autosize minRows={3} />
      <Textarea label="People the patient names to be told (one a line: name; address)" value={recipients} onChange={(e) => setRecipients(e.currentTarget.value)} autosize minRows={2} />
      <Checkbox label="The patient agrees that earlier recipients of these documents (from the disclosure log) be told" checked={prior} onChange={(e) => setPrior(e.currentTarget.checked)} />
    </FormModal>
  );
}

function DenyModal({ onSubmit, error, ...props }: ModalProps<{ basis: DenialGround; explanation: string }>) {
  const [basis, setBasis] = useState<DenialGround>('accurate_and_complete');
  const [explanation, setExplanation] = useState('');
  const errors = fieldErrorsFor(error, { basis: 'basis', explanation: 'explanation' });
  return (
    <FormModal title="Deny the amendment" submitLabel="Deny" error={error} {...props} onSubmit={() => onSubmit({ basis, explanation })}>
      <NativeSelect label="Basis for the denial (45 CFR 164.526(a)(2))" value={basis} onChange={(e) => setBasis(e.currentTarget.value as DenialGround)} error={errors.basis} data={DENIAL_GROUNDS.map((g) => ({ value: g.code, label: g.label }))} />
      <Textarea label="Explanation for the patient" required value={explanation} onChange={(e) => setExplanation(e.currentTarget.value)} error={errors.explanation} autosize minRows={3} />
      <Text size="sm">The denial letter states the patient's rights: a statement of disagreement, a complaint to us or to HHS, and sending the request and denial with later disclosures.</Text>
    </FormModal>
  );
}

function StatementModal({ onSubmit, error, hasDisagreement, ...props }: ModalProps<{ kind: 'disagreement' | 'rebuttal'; text: string; receivedOn: string }> & { hasDisagreement: boolean }) {
  const [kind, setKind] = useState<'disagreement' | 'rebuttal'>(hasDisagreement ? 'rebuttal' : 'disagreement');
  const [text, setText] = useState('');
  const [receivedOn, setReceivedOn] = useState(localToday());
  const errors = fieldErrorsFor(error, { kind: 'kind', text: 'text', receivedOn: 'receivedOn' });
  return (
    <FormModal title="Record a statement" submitLabel="Record statement" error={error} {...props} onSubmit={() => onSubmit({ kind, text, receivedOn })}>
      <NativeSelect label="Statement" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'disagreement' | 'rebuttal')} error={errors.kind} data={[{ value: 'disagreement', label: "The patient's statement of disagreement" }, { value: 'rebuttal', label: 'Our rebuttal' }]} />
      <Textarea label="Text" required value={text} onChange={(e) => setText(e.currentTarget.value)} error={errors.text} autosize minRows={3} />
      <TextInput type="date" label="Received or written on" required value={receivedOn} onChange={(e) => setReceivedOn(e.currentTarget.value)} error={errors.receivedOn} />
    </FormModal>
  );
}
