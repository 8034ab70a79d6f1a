import { Button, Checkbox, Group, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { SENSITIVITY_CATEGORIES, useDocumentTypes, useFileDocument, type SensitivityCategory } from '../../api/documents';
import { usePatientEncounters } from '../../api/encounters';
import { ApiError } from '../../api/client';
import { PERMISSIONS } from '../../api/permissions';
import type { Patient } from '../../api/patients';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { ACCEPTED_FILES, SENSITIVITY_LABELS, formatSize, typeOptions } from './document-labels';

const today = () => new Date().toISOString().slice(0, 10);

/** Drop a file (or choose one), then index it: type, visit, title, author, date of service, status, sensitivity. */
export function UploadDocument({ patient }: { patient: Patient }) {
  const [file, setFile] = useState<File | undefined>();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };

  return (
    <>
      <Paper
        withBorder
        p="md"
        data-testid="document-drop-zone"
        aria-describedby={hintId}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: dragging ? 'var(--mantine-color-blue-0)' : undefined }}
      >
        <Group justify="space-between" wrap="wrap">
          <Text id={hintId}>Drop a PDF, TIFF, JPEG or PNG here to file it to this chart, or choose a file.</Text>
          <Button variant="default" onClick={() => input.current?.click()}>
            Choose a file
          </Button>
          <input
            ref={input}
            type="file"
            accept={ACCEPTED_FILES}
            aria-label="File to upload"
            data-testid="document-file-input"
            style={{ display: 'none' }}
            onChange={(event) => {
              const chosen = event.currentTarget.files?.[0];
              if (chosen) setFile(chosen);
              event.currentTarget.value = '';
            }}
          />
        </Group>
      </Paper>
      {file && <IndexingForm patient={patient} file={file} onClose={() => setFile(undefined)} />}
    </>
  );
}

function IndexingForm({ patient, file, onClose }: { patient: Patient; file: File; onClose(): void }) {
  const { hasPermission } = useSession();
  const types = useDocumentTypes();
  const visits = usePatientEncounters(patient.id);
  const filing = useFileDocument();
  const [typeCode, setTypeCode] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const [title, setTitle] = useState(file.name.replace(/\.[^.]+$/, ''));
  const [author, setAuthor] = useState('');
  const [serviceDate, setServiceDate] = useState(today());
  const [status, setStatus] = useState<'final' | 'preliminary'>('final');
  const [sensitivity, setSensitivity] = useState<SensitivityCategory[]>([]);
  const errors = filing.error instanceof ApiError ? filing.error.fieldErrors : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    filing.mutate(
      {
        indexing: {
          patientId: patient.id, typeCode, serviceDate, status, encounterId: encounterId || null,
          title: title.trim() || null, author: author.trim() || null, sensitivity,
        },
        file,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal opened onClose={onClose} title="File a document" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            File: <strong>{file.name}</strong> ({formatSize(file.size)})
          </Text>
          <NativeSelect
            label="Document type"
            required
            value={typeCode}
            onChange={(e) => setTypeCode(e.currentTarget.value)}
            data={[{ value: '', label: types.isPending ? 'Loading types…' : 'Choose a type' }, ...typeOptions(types.data ?? [])]}
            error={errors.typeCode}
          />
          {hasPermission(PERMISSIONS.encountersRead) && (
            <NativeSelect
              label="Visit"
              value={encounterId}
              onChange={(e) => setEncounterId(e.currentTarget.value)}
              data={[{ value: '', label: 'Not tied to a visit' }, ...(visits.data ?? []).map((v) => ({ value: v.id, label: `${v.visitNumber} · ${v.class} · ${(v.admittedAt ?? v.plannedAt ?? '').slice(0, 10)}` }))]}
              error={errors.encounterId}
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} error={errors.title} />
            <TextInput label="Author" value={author} onChange={(e) => setAuthor(e.currentTarget.value)} maxLength={200} error={errors.author} />
            <TextInput label="Date of service" type="date" required value={serviceDate} onChange={(e) => setServiceDate(e.currentTarget.value)} error={errors.serviceDate} />
            <NativeSelect
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value as 'final' | 'preliminary')}
              data={[{ value: 'final', label: 'Final' }, { value: 'preliminary', label: 'Preliminary' }]}
            />
          </SimpleGrid>
          <Checkbox.Group label="Sensitivity" value={sensitivity} onChange={(v) => setSensitivity(v as SensitivityCategory[])}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={4} spacing={4}>
              {SENSITIVITY_CATEGORIES.map((s) => (
                <Checkbox key={s} value={s} label={SENSITIVITY_LABELS[s]} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <ProblemAlert error={filing.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={filing.isPending}>
              File document
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
