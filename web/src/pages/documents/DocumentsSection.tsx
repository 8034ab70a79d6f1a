import { Anchor, Button, Checkbox, Group, Loader, NativeSelect, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { FactSection } from '../../components/Facts';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  DOCUMENT_CATEGORIES, DOCUMENT_STATUSES, SENSITIVITY_CATEGORIES, chartSelectionFrom, useChartFile, useDocumentTypes, usePatientDocuments,
  type DocumentCategory, type DocumentListFilters, type DocumentStatus, type SensitivityCategory,
} from '../../api/documents';
import { usePatientEncounters } from '../../api/encounters';
import { PERMISSIONS } from '../../api/permissions';
import type { Patient } from '../../api/patients';
import { CoverSheetButton } from './scanning/CoverSheetButton';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ScrollableTable } from '../../components/ScrollableTable';
import { useSession } from '../../session/SessionProvider';
import { CATEGORY_LABELS, SENSITIVITY_LABELS, STATUS_LABELS, saveFile, typeOptions } from './document-labels';
import { DocumentStatusBadge } from './DocumentStatusBadge';
import { UploadDocument } from './UploadDocument';

/** The patient's documents on the summary: filters, upload by drag and drop, and the chart printed or exported. */
export function DocumentsSection({ patient }: { patient: Patient }) {
  const { hasPermission } = useSession();
  const [filters, setFilters] = useState<DocumentListFilters>({});
  const [selected, setSelected] = useState<string[]>([]);
  if (!hasPermission(PERMISSIONS.documentsRead)) return null;
  return (
    <FactSection id="summary-documents" title="Documents">
      {hasPermission(PERMISSIONS.documentsWrite) && patient.status === 'active' && <UploadDocument patient={patient} />}
      <DocumentFilters patientId={patient.id} filters={filters} onChange={(f) => { setFilters(f); setSelected([]); }} />
      <ChartActions patient={patient} selection={chartSelectionFrom(selected, filters)} selectedCount={selected.length} />
      <DocumentsTable patientId={patient.id} filters={filters} selected={selected} onSelect={setSelected} />
    </FactSection>
  );
}

function DocumentFilters({ patientId, filters, onChange }: { patientId: string; filters: DocumentListFilters; onChange(f: DocumentListFilters): void }) {
  const { hasPermission } = useSession();
  const types = useDocumentTypes();
  const visits = usePatientEncounters(patientId);
  const set = (key: keyof DocumentListFilters) => (value: string) => onChange({ ...filters, [key]: value || undefined });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" my="sm" role="group" aria-label="Document filters">
      <NativeSelect label="Category" value={filters.category ?? ''} onChange={(e) => set('category')(e.currentTarget.value as DocumentCategory)}
        data={[{ value: '', label: 'All categories' }, ...DOCUMENT_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))]} />
      <NativeSelect label="Type" value={filters.type ?? ''} onChange={(e) => set('type')(e.currentTarget.value)}
        data={[{ value: '', label: 'All types' }, ...typeOptions(types.data ?? [])]} />
      <NativeSelect label="Status" value={filters.status ?? ''} onChange={(e) => set('status')(e.currentTarget.value as DocumentStatus)}
        data={[{ value: '', label: 'Any status' }, ...DOCUMENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} />
      <NativeSelect label="Sensitivity" value={filters.sensitivity ?? ''} onChange={(e) => set('sensitivity')(e.currentTarget.value as SensitivityCategory)}
        data={[{ value: '', label: 'Any' }, ...SENSITIVITY_CATEGORIES.map((s) => ({ value: s, label: SENSITIVITY_LABELS[s] }))]} />
      {hasPermission(PERMISSIONS.encountersRead) && (
        <NativeSelect label="Visit" value={filters.encounter ?? ''} onChange={(e) => set('encounter')(e.currentTarget.value)}
          data={[{ value: '', label: 'Any visit' }, ...(visits.data ?? []).map((v) => ({ value: v.id, label: v.visitNumber }))]} />
      )}
      <TextInput label="Service from" type="date" value={filters.from ?? ''} onChange={(e) => set('from')(e.currentTarget.value)} />
      <TextInput label="Service to" type="date" value={filters.to ?? ''} onChange={(e) => set('to')(e.currentTarget.value)} />
    </SimpleGrid>
  );
}

function ChartActions({ patient, selection, selectedCount }: { patient: Patient; selection: ReturnType<typeof chartSelectionFrom>; selectedCount: number }) {
  const print = useChartFile(patient.id, 'chart-pdf');
  const bundle = useChartFile(patient.id, 'chart-bundle');
  const which = selectedCount ? `the ${selectedCount} document${selectedCount === 1 ? '' : 's'} ticked` : 'the documents listed (entered in error left out)';
  return (
    <>
      <Group gap="sm" mb="sm" role="group" aria-label="Chart actions">
        <Button variant="default" loading={print.isPending}
          onClick={() => print.mutate(selection, { onSuccess: (blob) => saveFile(blob, 'medical-record.pdf') })}>
          Print chart
        </Button>
        <Button variant="default" loading={bundle.isPending}
          onClick={() => bundle.mutate(selection, { onSuccess: (blob) => saveFile(blob, 'medical-record.fhir.json') })}>
          Export FHIR Bundle
        </Button>
        {/* Paper for this chart goes behind a cover sheet into the next scanned batch. */}
        {patient.status === 'active' && <CoverSheetButton patient={{ ...patient, middle: patient.middle ?? null, suffix: patient.suffix ?? null }} />}
        <Text size="sm" c="dimmed">Prints or exports {which}.</Text>
      </Group>
      <ProblemAlert error={print.error ?? bundle.error} />
    </>
  );
}

function DocumentsTable({ patientId, filters, selected, onSelect }: { patientId: string; filters: DocumentListFilters; selected: string[]; onSelect(ids: string[]): void }) {
  const documents = usePatientDocuments(patientId, filters);
  if (documents.isPending) return <Loader size="sm" role="status" aria-label="Loading documents" />;
  if (documents.error) return <ProblemAlert error={documents.error} />;
  if (documents.data.length === 0) return <Text c="dimmed">No documents{Object.values(filters).some(Boolean) ? ' match these filters' : ' filed yet'}.</Text>;
  const toggle = (id: string, on: boolean) => onSelect(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <ScrollableTable label="Documents table" minWidth={760}>
      <Table striped data-testid="documents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Choose</Table.Th>
            <Table.Th scope="col">Date of service</Table.Th>
            <Table.Th scope="col">Document</Table.Th>
            <Table.Th scope="col">Author</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Pages</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {documents.data.map((d) => {
            const name = d.title ? `${d.type.display}: ${d.title}` : d.type.display;
            return (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Checkbox aria-label={`Choose ${name}, ${d.serviceDate}`} checked={selected.includes(d.id)} onChange={(e) => toggle(d.id, e.currentTarget.checked)} />
                </Table.Td>
                <Table.Td>{d.serviceDate}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/documents/${encodeURIComponent(d.id)}`}>{name}</Anchor>
                  {d.sensitivity.length > 0 && <Text size="xs" c="dimmed">{d.sensitivity.map((s) => SENSITIVITY_LABELS[s]).join(', ')}</Text>}
                </Table.Td>
                <Table.Td>{d.author ?? '—'}</Table.Td>
                <Table.Td>
                  <DocumentStatusBadge status={d.status} />
                </Table.Td>
                <Table.Td>{d.content.pageCount}</Table.Td>
                <Table.Td>{d.version}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollableTable>
  );
}
