import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, SimpleGrid, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PERMISSIONS } from '../../api/permissions';
import {
  BASIS_KINDS, DELIVERY_METHODS, RECORD_FORMATS, REQUEST_CHANNELS, REQUESTER_KINDS, STATUS_LABELS, letterUrl,
  useReleaseReference, useReleaseRequest, useReleaseStaff, useRequestAction, useRequestDocuments, type ReleaseRequestDetail,
} from '../../api/release';
import { FactSection, Facts } from '../../components/Facts';
import { PageTitle } from '../../components/PageTitle';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDateTime } from '../../components/time';
import { useSession } from '../../session/SessionProvider';
import { LegalChecklistView, ReleaseProblem } from './LegalChecklistView';
import { RequestActions } from './RequestActions';
import { PacketSection } from './packet/PacketSection';
import { DueBadge } from './ReleaseQueuePage';
import { FeesSection } from './fees/FeesSection';

const LETTER_LABELS: Record<string, string> = { 'extension-notice': 'Extension notice', denial: 'Denial letter', 'denial-review': 'Denial review decision' };

function scopeText(s: ReleaseRequestDetail['request']['scope']): string {
  return [s.wholeRecordSet && 'the whole designated record set', s.billingRecords && 'billing records', s.documentTypes.length ? `${s.documentTypes.length} document types` : null,
    s.from && `from ${s.from}`, s.to && `to ${s.to}`].filter(Boolean).join(', ');
}

function Assignment({ detail }: { detail: ReleaseRequestDetail }) {
  const staff = useReleaseStaff();
  const action = useRequestAction(detail.request.id);
  const { hasPermission } = useSession();
  if (!hasPermission(PERMISSIONS.releaseWrite)) return <Text>{detail.request.assignedTo?.name ?? 'Unassigned'}</Text>;
  return (
    <Stack gap="xs">
      <NativeSelect label="Assigned to" value={detail.request.assignedTo?.id ?? ''} disabled={action.isPending}
        onChange={(e) => action.mutate({ action: 'assignment', body: { userId: e.currentTarget.value || null } })}
        data={[{ value: '', label: 'Unassigned' }, ...(staff.data?.clerks ?? []).map((c) => ({ value: c.id, label: c.name }))]} />
      <ReleaseProblem error={action.error} />
    </Stack>
  );
}

function Notes({ detail }: { detail: ReleaseRequestDetail }) {
  const [text, setText] = useState('');
  const action = useRequestAction(detail.request.id);
  const { hasPermission } = useSession();
  return (
    <Stack gap="sm">
      {hasPermission(PERMISSIONS.releaseWrite) && (
        <form onSubmit={(e) => { e.preventDefault(); action.mutate({ action: 'notes', body: { text } }, { onSuccess: () => setText('') }); }}>
          <Group align="flex-end">
            <Textarea label="Add a note" value={text} onChange={(e) => setText(e.currentTarget.value)} style={{ flex: 1 }} autosize minRows={1} />
            <Button type="submit" variant="outline" disabled={!text.trim()} loading={action.isPending}>Add note</Button>
          </Group>
          <ReleaseProblem error={action.error} />
        </form>
      )}
      <Table data-testid="request-history">
        <Table.Thead><Table.Tr><Table.Th scope="col">When</Table.Th><Table.Th scope="col">Who</Table.Th><Table.Th scope="col">What</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {detail.history.map((h, i) => (
            <Table.Tr key={i}>
              <Table.Td>{formatDateTime(h.at)}</Table.Td><Table.Td>{h.actorName ?? '—'}</Table.Td>
              <Table.Td>{h.kind === 'status' ? `${h.fromStatus ? `${STATUS_LABELS[h.fromStatus as keyof typeof STATUS_LABELS]} → ` : ''}${STATUS_LABELS[h.toStatus as keyof typeof STATUS_LABELS]}${h.note ? `: ${h.note}` : ''}` : h.note}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Documents({ id }: { id: string }) {
  const { hasPermission } = useSession();
  const documents = useRequestDocuments(id, hasPermission(PERMISSIONS.documentsRead));
  if (!hasPermission(PERMISSIONS.documentsRead)) return <Text c="dimmed">Your role does not read documents.</Text>;
  if (documents.error) return <ProblemAlert error={documents.error} />;
  if (!documents.data) return <Loader size="sm" role="status" aria-label="Loading documents" />;
  return (
    <Stack gap="xs">
      {documents.data.part2NoticeRequired && <Alert color="orange" title="Part 2 records included">The release carries the 42 CFR 2.32 notice and a copy of the consent.</Alert>}
      {documents.data.documents.length === 0 ? <Text c="dimmed">The patient has no documents on file.</Text> : (
        <Table data-testid="request-documents">
          <Table.Thead><Table.Tr><Table.Th scope="col">Document</Table.Th><Table.Th scope="col">Date of service</Table.Th><Table.Th scope="col">Included</Table.Th><Table.Th scope="col">Why left out</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {documents.data.documents.map((d) => (
              <Table.Tr key={d.documentId}>
                <Table.Td>{d.title ?? d.type}</Table.Td><Table.Td>{d.serviceDate}</Table.Td>
                <Table.Td>{d.included ? 'Yes' : 'No'}</Table.Td><Table.Td>{d.reasons.join(' ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** One request: who asks for what and why, the legal checklist, its status and actions, assignment, notes, letters and deadline. */
/** The denial: its ground in words with the rule, who denied, and the review with its note. */
function DenialFacts({ denial }: { denial: NonNullable<ReleaseRequestDetail['request']['denial']> }) {
  const ground = useReleaseReference().data?.denialGrounds[denial.ground];
  const review = denial.review;
  return (
    <FactSection id="request-denial" title="Denial">
      <Facts items={[
        ['Ground', ground ? `${ground.label} (${ground.cite}; ${ground.reviewable ? 'reviewable' : 'not reviewable'})` : denial.ground],
        ['Explanation', denial.explanation], ['Denied by', denial.deniedBy.name],
        ['Review', review ? `${review.reviewer.name}: ${review.decision ?? 'waiting'}` : null],
        ['Review note', review?.note ?? null],
      ]} />
    </FactSection>
  );
}

export function ReleaseRequestPage() {
  const { id = '' } = useParams();
  const query = useReleaseRequest(id);
  const detail = query.data;
  if (query.error) return <Stack><PageTitle>Request for records</PageTitle><ProblemAlert error={query.error} /></Stack>;
  if (!detail) return <Loader role="status" aria-label="Loading the request" />;
  const r = detail.request;
  const holds = detail.checklist.holds.filter((h) => !h.met);
  return (
    <Stack gap="md">
      <PageTitle>Request for records</PageTitle>
      <Group gap="sm">
        <Text fw={600} data-testid="request-patient">{r.patient.name} · MRN {r.patient.mrn}</Text>
        <Badge variant="filled" data-testid="request-status">{STATUS_LABELS[r.status]}</Badge>
        <DueBadge item={r} />
        <Anchor component={Link} to="/release">Back to the work queue</Anchor>
      </Group>
      {holds.length > 0 && (
        <Alert color="red" title="Release stopped" role="alert" data-testid="release-holds">
          {holds.map((h) => <Text key={h.key}>{h.reason}</Text>)}
          {r.patient.legalHoldReason && <Text size="sm">Legal hold: {r.patient.legalHoldReason}</Text>}
        </Alert>
      )}
      <RequestActions detail={detail} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <FactSection id="request-facts" title="The request">
          <Facts items={[
            ['Received', `${r.receivedOn} by ${REQUEST_CHANNELS[r.channel as keyof typeof REQUEST_CHANNELS]}`],
            ['Requester', `${r.requester.name}${r.requester.organization ? `, ${r.requester.organization}` : ''} (${REQUESTER_KINDS[r.requester.kind]})`],
            ['Identity', r.identityVerification ? `${r.identityVerification.method} — checked by ${r.identityVerification.verifiedBy}` : 'Not verified'],
            ['Authority', r.representativeAuthority ? `${r.representativeAuthority.kind}: ${r.representativeAuthority.document}` : null],
            ['Asked for', scopeText(r.scope)],
            ['Format', RECORD_FORMATS[r.format as keyof typeof RECORD_FORMATS]],
            ['Delivery', [DELIVERY_METHODS[r.delivery.method as keyof typeof DELIVERY_METHODS], r.delivery.address, r.delivery.email].filter(Boolean).join(' — ')],
            ['Purpose', r.purpose],
            ['Legal basis', BASIS_KINDS[r.basis.kind]],
          ]} />
        </FactSection>
        <FactSection id="request-deadline" title="Deadline">
          <Facts items={[
            ['Due', r.dueDate],
            ['Originally due', r.originalDueDate],
            ['Extension', r.extension ? `${r.extension.reason} (by ${r.extension.by})` : null],
            ['Closed', r.closedAt ? formatDateTime(r.closedAt) : null],
          ]} />
          <Assignment detail={detail} />
        </FactSection>
      </SimpleGrid>
      <FactSection id="legal-checklist" title="Legal checklist">
        <LegalChecklistView items={[...detail.checklist.legal.items, ...detail.checklist.holds]} label="Legal checklist" testId="request-checklist" />
        {detail.checklist.legal.limits.limitedDataSet && <Text size="sm" mt="xs">Only the identification data set may go; no documents (45 CFR 164.512(f)(2)).</Text>}
        {detail.checklist.legal.limits.minimumNecessary && <Text size="sm" mt="xs">Minimum necessary applies (45 CFR 164.502(b)).</Text>}
      </FactSection>
      {r.denial && <DenialFacts denial={r.denial} />}
      <FactSection id="request-documents-heading" title="Documents">
        <Documents id={r.id} />
      </FactSection>
      <FeesSection requestId={r.id} />
      <PacketSection detail={detail} />
      <FactSection id="request-letters" title="Letters">
        {detail.letters.length === 0 ? <Text c="dimmed">No letters yet.</Text> : (
          <Stack gap={4} data-testid="letters">
            {detail.letters.map((l) => (
              <Anchor key={l.id} href={letterUrl(r.id, l.id)} target="_blank" rel="noopener">{`${LETTER_LABELS[l.kind] ?? l.kind} (${formatDateTime(l.createdAt)})`}</Anchor>
            ))}
          </Stack>
        )}
      </FactSection>
      <FactSection id="request-notes" title="Notes and history">
        <Notes detail={detail} />
      </FactSection>
    </Stack>
  );
}
