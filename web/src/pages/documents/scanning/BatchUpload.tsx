import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useUploadBatch, type ScanBatchReport } from '../../../api/scanning';
import { ProblemAlert } from '../../../components/ProblemAlert';

/** Chooses (or takes a dropped) PDF or TIFF batch and uploads it; the report comes back. */
export function BatchUpload({ onReport }: { onReport(batch: ScanBatchReport): void }) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const upload = useUploadBatch();

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };

  return (
    <form
      aria-label="Upload a scanned batch"
      onSubmit={(event) => {
        event.preventDefault();
        if (file) upload.mutate(file, { onSuccess: onReport });
      }}
    >
      <Stack gap="sm" maw={640}>
        <Paper
          withBorder
          p="lg"
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{ borderStyle: 'dashed', background: dragging ? 'var(--mantine-color-blue-0)' : undefined }}
        >
          <Stack gap={6}>
            <label htmlFor={inputId}>
              <Text fw={500}>Batch file (PDF or TIFF)</Text>
            </label>
            <Text size="sm" c="dimmed" id={`${inputId}-help`}>
              Drop the scanner's file here, or choose it. Each cover sheet starts a new document; pages without one go to the indexing queue.
            </Text>
            <input
              ref={input}
              id={inputId}
              type="file"
              accept=".pdf,.tif,.tiff,application/pdf,image/tiff"
              aria-describedby={`${inputId}-help`}
              onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
            />
            {file && <Text size="sm">Chosen: {file.name}</Text>}
          </Stack>
        </Paper>
        <ProblemAlert error={upload.error} />
        <Group>
          <Button type="submit" disabled={!file} loading={upload.isPending}>
            Upload batch
          </Button>
          {upload.isPending && <Text size="sm" role="status">Reading the barcodes of each page…</Text>}
        </Group>
      </Stack>
    </form>
  );
}
