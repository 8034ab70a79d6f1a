import { Alert, Button, Fieldset, Group, Loader, MultiSelect, Paper, Stack, Stepper, Table, Text as MText, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { usePatientSearch } from '../../api/patients';
import {
  DELIVERY_METHODS, IDENTITY_METHODS, RECORD_FORMATS, REPRESENTATIVE_AUTHORITIES, REQUEST_CHANNELS, REQUESTER_KINDS, BASIS_KINDS,
  useDocumentTypeChoices, useLegalCheck, useLogRequest, type RequesterKind,
} from '../../api/release';
import { Facts } from '../../components/Facts';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDay, patientName } from '../patients/patient-format';
import { emptyDraft, legalCaseOf, newRequestOf, type IntakeDraft } from './intake-draft';
import { LongText, Select, Text, Tick } from './intake-fields';
import { LegalBasisFields } from './LegalBasisFields';
import { LegalChecklistView, ReleaseProblem } from './LegalChecklistView';

const STEPS = ['Patient', 'Requester', 'What and how', 'Legal basis', 'Review'] as const;

function PatientStep({ draft, set }: { draft: IntakeDraft; set: (c: (d: IntakeDraft) => IntakeDraft) => void }) {
  const [text, setText] = useState('');
  const [applied, setApplied] = useState('');
  const search = usePatientSearch(applied);
  return (
    <Stack gap="sm">
      {draft.patient && (
        <Alert color="blue" title="Patient chosen" data-testid="chosen-patient">
          {patientName(draft.patient)} · MRN {draft.patient.mrn} · born {formatDay(draft.patient.birthDate)}
        </Alert>
      )}
      <form role="search" aria-label="Find the patient" onSubmit={(e) => { e.preventDefault(); setApplied(text.trim()); }}>
        <Group align="flex-end" gap="sm">
          <TextInput label="Find the patient" description="Name, MRN or birth date, as on the patient search page." value={text} onChange={(e) => setText(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button type="submit" variant="outline">Search</Button>
        </Group>
      </form>
      <ProblemAlert error={search.error} />
      {search.isFetching && <Loader size="sm" role="status" aria-label="Searching" />}
      {search.data && (search.data.length === 0 ? <MText c="dimmed">No patient found.</MText> : (
        <Table data-testid="patient-choices">
          <Table.Thead><Table.Tr><Table.Th scope="col">Patient</Table.Th><Table.Th scope="col">MRN</Table.Th><Table.Th scope="col">Born</Table.Th><Table.Th scope="col"><VisuallyHidden>Choose</VisuallyHidden></Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {search.data.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{patientName(p)}</Table.Td><Table.Td>{p.mrn}</Table.Td><Table.Td>{formatDay(p.birthDate)}</Table.Td>
                <Table.Td><Button size="xs" onClick={() => set((d) => ({ ...d, patient: p }))} aria-label={`Choose ${patientName(p)}`}>Choose</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ))}
    </Stack>
  );
}

function RequesterStep({ draft, set }: { draft: IntakeDraft; set: (c: (d: IntakeDraft) => IntakeDraft) => void }) {
  const field = <K extends keyof IntakeDraft>(key: K) => (v: IntakeDraft[K]) => set((d) => ({ ...d, [key]: v }));
  return (
    <Stack gap="sm">
      <Group grow>
        <Text label="Received on" type="date" value={draft.receivedOn} onChange={field('receivedOn')} required />
        <Select label="Received by" value={draft.channel} onChange={field('channel')} choices={REQUEST_CHANNELS} />
      </Group>
      <Select label="Requester" value={draft.requesterKind} onChange={(v) => field('requesterKind')(v as RequesterKind)} choices={REQUESTER_KINDS} />
      <Text label="Requester's name" value={draft.requesterName} onChange={field('requesterName')} required />
      <Text label="Organization" value={draft.organization} onChange={field('organization')} />
      <LongText label="Requester's address" value={draft.address} onChange={field('address')} />
      <Group grow>
        <Text label="Requester's e-mail" type="email" value={draft.email} onChange={field('email')} />
        <Text label="Requester's phone" value={draft.phone} onChange={field('phone')} />
      </Group>
      <Fieldset legend="Identity and authority (45 CFR 164.514(h))">
        <Stack gap="xs">
          <Select label="How the identity was verified" value={draft.identityMethod} onChange={field('identityMethod')} choices={IDENTITY_METHODS} placeholder="Not verified yet" />
          <Text label="Verification note" value={draft.identityNote} onChange={field('identityNote')} />
          {draft.requesterKind === 'personal-representative' && (
            <>
              <Select label="Representative's authority" value={draft.authorityKind} onChange={field('authorityKind')} choices={REPRESENTATIVE_AUTHORITIES} placeholder="Not documented yet" />
              <Text label="Document showing the authority" value={draft.authorityDocument} onChange={field('authorityDocument')} />
            </>
          )}
        </Stack>
      </Fieldset>
    </Stack>
  );
}

function ScopeStep({ draft, set }: { draft: IntakeDraft; set: (c: (d: IntakeDraft) => IntakeDraft) => void }) {
  const types = useDocumentTypeChoices();
  const field = <K extends keyof IntakeDraft>(key: K) => (v: IntakeDraft[K]) => set((d) => ({ ...d, [key]: v }));
  return (
    <Stack gap="sm">
      <Fieldset legend="What is asked for">
        <Stack gap="xs">
          <Tick label="The whole designated record set" checked={draft.wholeRecordSet} onChange={field('wholeRecordSet')} />
          <Tick label="Billing records" checked={draft.billingRecords} onChange={field('billingRecords')} />
          <Group grow>
            <Text label="From" type="date" value={draft.from} onChange={field('from')} />
            <Text label="To" type="date" value={draft.to} onChange={field('to')} />
          </Group>
          <MultiSelect label="Document types" searchable value={draft.documentTypes} onChange={field('documentTypes')}
            data={(types.data ?? []).map((t) => ({ value: t.code, label: `${t.display} (${t.code})` }))} />
        </Stack>
      </Fieldset>
      <Group grow>
        <Select label="Format" value={draft.format} onChange={field('format')} choices={RECORD_FORMATS} />
        <Select label="Delivery" value={draft.deliveryMethod} onChange={field('deliveryMethod')} choices={DELIVERY_METHODS} />
      </Group>
      <LongText label="Delivery address" value={draft.deliveryAddress} onChange={field('deliveryAddress')} />
      <Text label="Delivery e-mail" type="email" value={draft.deliveryEmail} onChange={field('deliveryEmail')} />
    </Stack>
  );
}

/** The intake wizard: the patient, the requester, what is asked for, the legal basis with its live checklist, then review and log. */
export function ReleaseIntakePage() {
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<IntakeDraft>(emptyDraft);
  const [stepProblem, setStepProblem] = useState<string | null>(null);
  const set = (change: (d: IntakeDraft) => IntakeDraft) => setDraft(change);
  const check = useLegalCheck(step >= 3 ? legalCaseOf(draft) : null);
  const log = useLogRequest();

  const next = () => {
    if (step === 0 && !draft.patient) return setStepProblem('Choose the patient the request is about.');
    if (step === 1 && !draft.requesterName.trim()) return setStepProblem("Give the requester's name.");
    setStepProblem(null);
    setStep((s) => s + 1);
  };
  const submit = () => log.mutate(newRequestOf(draft), { onSuccess: (detail) => void navigate(`/release/${detail.request.id}`) });

  return (
    <Stack gap="md">
      <PageTitle>Log a request for records</PageTitle>
      <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} allowNextStepsSelect={false} size="sm">
        {STEPS.map((label) => <Stepper.Step key={label} label={label} />)}
      </Stepper>
      <Paper withBorder p="md" component="section" aria-labelledby="step-heading">
        <Title order={2} size="h4" id="step-heading" mb="sm">{`Step ${step + 1} of ${STEPS.length}: ${STEPS[step]}`}</Title>
        {step === 0 && <PatientStep draft={draft} set={set} />}
        {step === 1 && <RequesterStep draft={draft} set={set} />}
        {step === 2 && <ScopeStep draft={draft} set={set} />}
        {step === 3 && (
          <Group align="flex-start" grow>
            <LegalBasisFields draft={draft} set={set} />
            <Paper withBorder p="sm" component="section" aria-labelledby="live-checklist">
              <Title order={3} size="h5" id="live-checklist" mb="xs">Legal checklist</Title>
              {check.data ? <LegalChecklistView items={check.data.items} label="Legal checklist" testId="intake-checklist" /> : <Loader size="sm" role="status" aria-label="Checking" />}
              <ProblemAlert error={check.error} />
            </Paper>
          </Group>
        )}
        {step === 4 && (
          <Stack gap="sm">
            <Facts items={[
              ['Patient', draft.patient ? `${patientName(draft.patient)} (MRN ${draft.patient.mrn})` : null],
              ['Received', `${draft.receivedOn} by ${REQUEST_CHANNELS[draft.channel as keyof typeof REQUEST_CHANNELS]}`],
              ['Requester', `${draft.requesterName} (${REQUESTER_KINDS[draft.requesterKind]})`],
              ['Asked for', [draft.wholeRecordSet && 'whole designated record set', draft.billingRecords && 'billing records', draft.from && `from ${draft.from}`, draft.to && `to ${draft.to}`, draft.documentTypes.length && `${draft.documentTypes.length} document types`].filter(Boolean).join(', ')],
              ['Format and delivery', `${RECORD_FORMATS[draft.format as keyof typeof RECORD_FORMATS]}, ${DELIVERY_METHODS[draft.deliveryMethod as keyof typeof DELIVERY_METHODS]}`],
              ['Legal basis', BASIS_KINDS[draft.basisKind]],
            ]} />
            {check.data && <LegalChecklistView items={check.data.items} label="Legal checklist" testId="review-checklist" />}
            {check.data && !check.data.valid && (
              <Alert color="orange" title="The request can be logged, but not validated">It waits as logged until the missing items arrive.</Alert>
            )}
            <ReleaseProblem error={log.error} />
          </Stack>
        )}
        {stepProblem && <Alert color="red" role="alert" mt="sm">{stepProblem}</Alert>}
        <Group justify="space-between" mt="md">
          <Button variant="default" onClick={() => (step === 0 ? void navigate('/release') : setStep((s) => s - 1))}>{step === 0 ? 'Cancel' : 'Back'}</Button>
          {step < STEPS.length - 1 ? <Button onClick={next}>Next</Button> : <Button onClick={submit} loading={log.isPending}>Log the request</Button>}
        </Group>
      </Paper>
    </Stack>
  );
}
