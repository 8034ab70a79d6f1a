import { Anchor, Button, Group, Loader, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import {
  documentContentUrl, documentPdfUrl, useAddVersion, useDocument, useMarkEnteredInError, type DocumentDetail, type DocumentVersion,
} from '../../api/documents';
import { PERMISSIONS } from '../../api/permissions';
import { Facts, FactSection } from '../../components/Facts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { formatDateTime } from '../../components/time';
import { useSession } from '../../session/SessionProvider';
import { PatientBanner } from '../patients/PatientBanner';
import { PatientRecordGate, RecordTitle } from '../patients/PatientRecordGate';
import { ACCEPTED_FILES, SENSITIVITY_LABELS, formatSize } from './document-labels';
import { DocumentStatusBadge } from './DocumentStatusBadge';

/** One document: its index, the viewer, its versions, and what may be done with it. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const document = useDocument(id);
  if (document.isPending) return <Loader role="status" aria-label="Loading the document" />;
  if (document.error) {
    return (
      <Stack gap="sm">
        <Title order={1} size="h2">{document.error instanceof ApiError && document.error.status === 404 ? 'Document not found' : 'The document could not be opened'}</Title>
        <ProblemAlert error={document.error} />
      </Stack>
    );
  }
  return <PatientRecordGate id={document.data.patientId}>{(patient) => (
    <Stack gap="md">
      <PatientBanner patient={patient} />
      <DocumentView document={document.data} />
    </Stack>
  )}</PatientRecordGate>;
}

function DocumentView({ document: d }: { document: DocumentDetail }) {
  const { hasPermission } = useSession();
  const [shown, setShown] = useState<number>(d.version);
  const version = d.versions.find((v) => v.version === shown) ?? d.content;
  const name = d.title ? `${d.type.display}: ${d.title}` : d.type.display;
  const canChange = hasPermission(PERMISSIONS.documentsWrite) && d.status !== 'entered-in-error';
  return (
    <>
      <RecordTitle tabTitle="Document">{name}</RecordTitle>
      <Group gap="sm" role="group" aria-label="Document actions">
        <Button component="a" href={documentPdfUrl(d.id, shown, 'print')} target="_blank" rel="noopener" variant="default">
          Print
        </Button>
        <Button component="a" href={documentContentUrl(d.id, shown, true)} variant="default">
          Download
        </Button>
        {canChange && <AddVersion document={d} onAdded={(v) => setShown(v)} />}
        {canChange && <MarkEnteredInError document={d} />}
        <Button component={Link} to={`/patients/${encodeURIComponent(d.patientId)}`} variant="subtle">
          Back to the patient
        </Button>
      </Group>
      <FactSection id="document-facts" title="Index">
        <Facts
          items={[
            ['Type', `${d.type.display} (LOINC ${d.type.code})`],
            ['Status', <DocumentStatusBadge key="status" status={d.status} />],
            ['Entered in error because', d.enteredInErrorReason],
            ['Date of service', d.serviceDate],
            ['Author', d.author],
            ['Signed', d.authentication ? `${d.authentication.signedBy}, ${formatDateTime(d.authentication.signedAt)}` : undefined],
            ['Visit', d.encounterId ? <Anchor key="visit" component={Link} to={`/encounters/${encodeURIComponent(d.encounterId)}`}>Open the visit</Anchor> : undefined],
            ['Sensitivity', d.sensitivity.map((s) => SENSITIVITY_LABELS[s]).join(', ') || undefined],
            ['Filed', `${formatDateTime(d.createdAt)} by ${d.createdBy}`],
          ]}
        />
      </FactSection>
      <FactSection id="document-viewer" title={`Version ${version.version} of ${d.version}: ${version.fileName}`}>
        <Viewer documentId={d.id} version={version} />
      </FactSection>
      <Versions document={d} shown={shown} onShow={setShown} />
    </>
  );
}

function Viewer({ documentId, version }: { documentId: string; version: DocumentVersion }) {
  const label = `Document viewer, version ${version.version}`;
  if (version.contentType === 'image/jpeg' || version.contentType === 'image/png') {
    return <img src={documentContentUrl(documentId, version.version)} alt={label} style={{ maxWidth: '100%', border: '1px solid var(--mantine-color-gray-4)' }} />;
  }
  // PDFs as stored, TIFFs converted: the browser's own PDF viewer shows them.
  return <iframe title={label} src={documentPdfUrl(documentId, version.version)} style={{ width: '100%', height: '75vh', border: '1px solid var(--mantine-color-gray-4)' }} />;
}

function Versions({ document: d, shown, onShow }: { document: DocumentDetail; shown: number; onShow(v: number): void }) {
  return (
    <FactSection id="document-versions" title="Versions">
      <ScrollableTable label="Versions table" minWidth={700}>
        <Table striped data-testid="document-versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Version</Table.Th>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col">Pages</Table.Th>
              <Table.Th scope="col">Size</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col">Added</Table.Th>
              <Table.Th scope="col">View</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>{v.fileName}</Table.Td>
                <Table.Td>{v.pageCount}</Table.Td>
                <Table.Td>{formatSize(v.size)}</Table.Td>
                <Table.Td>{v.reason ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(v.createdAt)} by {v.createdBy}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant={v.version === shown ? 'filled' : 'default'} aria-pressed={v.version === shown} onClick={() => onShow(v.version)}>
                    View version {v.version}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollableTable>
    </FactSection>
  );
}

function AddVersion({ document: d, onAdded }: { document: DocumentDetail; onAdded(version: number): void }) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | undefined>();
  const [reason, setReason] = useState('');
  const adding = useAddVersion(d.id);
  const errors = adding.error instanceof ApiError ? adding.error.fieldErrors : {};
  const close = () => {
    setOpen(false);
    setFile(undefined);
    setReason('');
    adding.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    adding.mutate({ reason, expectedVersion: d.version, file }, { onSuccess: (doc) => { onAdded(doc.version); close(); } });
  };
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>Add version</Button>
      <Modal opened={open} onClose={close} title="Add a version">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">The current version stays in the record; the new one becomes current{d.status === 'final' ? ' and the document is marked amended' : ''}.</Text>
            <label>
              <Text size="sm" fw={500}>New file (PDF, TIFF, JPEG or PNG)</Text>
              <input type="file" accept={ACCEPTED_FILES} onChange={(e) => setFile(e.currentTarget.files?.[0])} />
            </label>
            <Textarea label="Reason for the change" required minLength={3} maxLength={1000} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} />
            <ProblemAlert error={adding.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>Cancel</Button>
              <Button type="submit" loading={adding.isPending} disabled={!file}>Add version</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function MarkEnteredInError({ document: d }: { document: DocumentDetail }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const marking = useMarkEnteredInError(d.id);
  const errors = marking.error instanceof ApiError ? marking.error.fieldErrors : {};
  const close = () => {
    setOpen(false);
    setReason('');
    marking.reset();
  };
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpen(true)}>Mark entered in error</Button>
      <Modal opened={open} onClose={close} title="Mark entered in error">
        <form onSubmit={(e) => { e.preventDefault(); marking.mutate(reason, { onSuccess: close }); }} noValidate>
          <Stack gap="sm">
            <Text size="sm">The document stays in the record, marked, with your reason; it is left out of printed charts unless chosen. This cannot be undone.</Text>
            <Textarea label="Reason" required minLength={3} maxLength={1000} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} />
            <ProblemAlert error={marking.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>Cancel</Button>
              <Button type="submit" color="red" loading={marking.isPending}>Mark entered in error</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
