import { Alert, Anchor, Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { PERMISSIONS } from '../../../api/permissions';
import type { ReleaseRequestDetail } from '../../../api/release';
import {
  packetFileUrl, packetPageImageUrl, packetPdfUrl, usePacketAction, useReleasePacket,
  type PacketDelivery, type PacketFileFormat, type ReleasePacket,
} from '../../../api/release-packet';
import { FactSection } from '../../../components/Facts';
import { useSession } from '../../../session/SessionProvider';
import { ReleaseProblem } from '../LegalChecklistView';
import { BuildPacket } from './BuildPacket';

const STATUS_TEXT: Record<ReleasePacket['status'], string> = {
  built: 'Waiting for quality check', confirmed: 'Checked: ready to release', rejected: 'Rejected at quality check', released: 'Released', superseded: 'Replaced',
};

/** The second person ticks every page as belonging to the patient, or rejects the packet. */
function QualityCheck({ id, packet }: { id: string; packet: ReleasePacket }) {
  const check = usePacketAction<{ decision: 'confirm'; confirmedPages: number[] } | { decision: 'reject'; reason: string }>(id, '/quality-check');
  const [ticked, setTicked] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const all = packet.pages.map((p) => p.page);
  return (
    <Stack gap="xs" data-testid="packet-quality-check">
      <Checkbox label={`All ${packet.pageCount} pages belong to the patient`} checked={ticked.length === all.length}
        onChange={(e) => setTicked(e.currentTarget.checked ? all : [])} />
      <Group>
        <Button loading={check.isPending} disabled={ticked.length !== all.length} onClick={() => check.mutate({ decision: 'confirm', confirmedPages: ticked })}>Confirm every page</Button>
      </Group>
      <Textarea label="Reason to reject" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={1} />
      <Group><Button color="red" variant="light" disabled={!reason.trim()} onClick={() => check.mutate({ decision: 'reject', reason })}>Reject and send back</Button></Group>
      <ReleaseProblem error={check.error} />
      {ticked.length > 0 && ticked.length < all.length && <Text size="sm">Tick every page to confirm.</Text>}
      <Stack gap={4}>
        {packet.pages.map((p) => (
          <Checkbox key={p.page} label={`Page ${p.page}: ${p.title}`} checked={ticked.includes(p.page)}
            onChange={(e) => setTicked(e.currentTarget.checked ? [...ticked, p.page] : ticked.filter((n) => n !== p.page))} />
        ))}
      </Stack>
    </Stack>
  );
}

/** Release with the delivery: secure link (passcode apart), mail, or pick-up. */
function Release({ id, detail }: { id: string; detail: ReleaseRequestDetail }) {
  const release = usePacketAction<{ delivery: PacketDelivery }>(id, 'release');
  const [method, setMethod] = useState<PacketDelivery['method']>('secure-link');
  const [email, setEmail] = useState(detail.request.delivery.email ?? detail.request.requester.email ?? '');
  const [passcodeBy, setPasscodeBy] = useState<'email' | 'phone'>('email');
  // A request for a FHIR copy goes as a Bundle unless the clerk chooses otherwise.
  const [file, setFile] = useState<PacketFileFormat>(detail.request.format === 'fhir' ? 'fhir-bundle' : 'pdf');
  const [address, setAddress] = useState(detail.request.delivery.address ?? detail.request.requester.address ?? '');
  const [tracking, setTracking] = useState('');
  const delivery: PacketDelivery = method === 'secure-link' ? { method, recipientEmail: email, passcodeBy, file }
    : method === 'mail' ? { method, address, trackingNumber: tracking || null } : { method };
  const answer = release.data as { link?: { passcode?: string } } | undefined;
  return (
    <Stack gap="xs" data-testid="packet-release">
      <NativeSelect label="Delivery" value={method} onChange={(e) => setMethod(e.currentTarget.value as PacketDelivery['method'])}
        data={[{ value: 'secure-link', label: 'Secure download link (e-mail)' }, { value: 'mail', label: 'Mail' }, { value: 'pick-up', label: 'Picked up in person' }]} />
      {method === 'secure-link' && (
        <>
          <TextInput label="Recipient e-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <NativeSelect label="Passcode by" value={passcodeBy} onChange={(e) => setPasscodeBy(e.currentTarget.value as 'email' | 'phone')}
            data={[{ value: 'email', label: 'A second e-mail' }, { value: 'phone', label: 'Telephone (shown once here)' }]} />
          <NativeSelect label="File sent" value={file} onChange={(e) => setFile(e.currentTarget.value as PacketFileFormat)}
            data={[{ value: 'pdf', label: 'One PDF' }, { value: 'zip', label: 'ZIP: a PDF for each part, with a contents list' }, { value: 'fhir-bundle', label: 'FHIR R4 Bundle (JSON)' }]} />
        </>
      )}
      {method === 'mail' && (
        <>
          <Textarea label="Mailing address" value={address} onChange={(e) => setAddress(e.currentTarget.value)} autosize minRows={2} />
          <TextInput label="Tracking number" value={tracking} onChange={(e) => setTracking(e.currentTarget.value)} />
        </>
      )}
      <Group><Button loading={release.isPending} onClick={() => release.mutate({ delivery })}>Release</Button></Group>
      <ReleaseProblem error={release.error} />
      {answer?.link?.passcode && <Alert color="blue" title="Passcode to read out" role="status">{answer.link.passcode}</Alert>}
    </Stack>
  );
}

/** The release packet of a request: build (with redactions), preview with the page map, quality check, release. */
export function PacketSection({ detail }: { detail: ReleaseRequestDetail }) {
  const id = detail.request.id;
  const status = detail.request.status;
  const { hasPermission, session } = useSession();
  const packet = useReleasePacket(id);
  const current = packet.data;
  const canWrite = hasPermission(PERMISSIONS.releaseWrite) && hasPermission(PERMISSIONS.documentsRead);
  const canReview = hasPermission(PERMISSIONS.releaseReview);
  if (!current && status !== 'in_process') return null;
  const builtByMe = current?.builtBy === session?.user?.username;
  return (
    <FactSection id="request-packet" title="Release packet">
      <Stack gap="sm">
        {packet.error && <ReleaseProblem error={packet.error} />}
        {current && (
          <>
            <Text data-testid="packet-status">Version {current.version}, {current.pageCount} pages: {STATUS_TEXT[current.status]}{current.checkNote ? ` (${current.checkNote})` : ''}</Text>
            <Group gap="md">
              <Anchor href={packetPdfUrl(id)} target="_blank" rel="noopener">Open the packet (PDF)</Anchor>
              <Anchor href={packetFileUrl(id, 'zip')} download>Download as ZIP</Anchor>
              <Anchor href={packetFileUrl(id, 'fhir-bundle')} download>Download as FHIR Bundle</Anchor>
            </Group>
            <Table data-testid="packet-pages">
              <Table.Thead><Table.Tr><Table.Th scope="col">Page</Table.Th><Table.Th scope="col">What</Table.Th><Table.Th scope="col">Source page</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {current.pages.map((p) => <Table.Tr key={p.page}><Table.Td>{p.page}</Table.Td><Table.Td>{p.title}</Table.Td><Table.Td>{p.sourcePage}</Table.Td></Table.Tr>)}
              </Table.Tbody>
            </Table>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              {current.pages.map((p) => (
                <img key={p.page} src={packetPageImageUrl(id, p.page, current.version)} alt={`Packet page ${p.page}: ${p.title}`} loading="lazy" style={{ width: '100%', border: '1px solid #ccc' }} />
              ))}
            </SimpleGrid>
          </>
        )}
        {status === 'in_process' && canWrite && <BuildPacket id={id} />}
        {status === 'quality_check' && current?.status === 'built' && canReview && !builtByMe && <QualityCheck id={id} packet={current} />}
        {status === 'quality_check' && current?.status === 'built' && builtByMe && <Text size="sm">A second person checks the pages of a packet you built.</Text>}
        {status === 'quality_check' && (current?.status === 'confirmed' || current?.status === 'built') && canWrite && <Release id={id} detail={detail} />}
      </Stack>
    </FactSection>
  );
}
