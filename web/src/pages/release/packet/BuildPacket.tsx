import { Button, Collapse, Group, NativeSelect, NumberInput, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useId, useState } from 'react';
import { useRequestDocuments } from '../../../api/release';
import { useDocumentPages, usePacketAction, type PacketRedaction } from '../../../api/release-packet';
import { ReleaseProblem } from '../LegalChecklistView';
import { RedactionCanvas, type PageView, type RedactableDocument } from './RedactionCanvas';

const POSITION_FIELDS = [
  ['x', 'From the left (points)'],
  ['y', 'From the top (points)'],
  ['width', 'Width (points)'],
  ['height', 'Height (points)'],
] as const;

type Position = Pick<PacketRedaction, 'x' | 'y' | 'width' | 'height'>;

/**
 * The keyboard way to redact: a box typed in by its page and position, in points (1/72 inch) from the
 * page's top-left corner, for anyone who cannot drag on the preview.
 */
function BoxByPosition({ requestId, documents, shown, onAdd }: {
  requestId: string;
  documents: RedactableDocument[];
  shown: PageView;
  onAdd: (box: PacketRedaction) => void;
}) {
  const [open, setOpen] = useState(false);
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [page, setPage] = useState<number | null>(null);
  const [position, setPosition] = useState<Position>({ x: 0, y: 0, width: 100, height: 20 });
  const panel = useId();
  // Until the clerk chooses, the fields follow the page on the preview.
  const chosen = documentId ?? shown.documentId;
  const onPage = page ?? (documentId ? 1 : shown.page);
  const pages = useDocumentPages(requestId, open ? chosen : undefined);
  const size = pages.data?.pages.find((p) => p.page === onPage);
  const ready = position.width > 0 && position.height > 0 && onPage >= 1;
  return (
    <div>
      <Button variant="subtle" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
        {open ? 'Hide entering a box by its position' : 'Enter a box by its position'}
      </Button>
      <Collapse expanded={open} id={panel}>
        <Stack gap="xs" pt="xs" role="group" aria-label="Enter a box by its position">
          <Text size="sm">Positions are in points (1/72 inch) from the page&apos;s top-left corner{size ? `; page ${onPage} is ${Math.round(size.width)} by ${Math.round(size.height)} points` : ''}.</Text>
          <Group gap="xs" align="end">
            <NativeSelect label="Document" value={chosen} onChange={(e) => { setDocumentId(e.currentTarget.value); setPage(1); }}
              data={documents.map((d) => ({ value: d.documentId, label: d.label }))} />
            <NumberInput label="Page" w={90} min={1} max={pages.data?.pageCount} allowDecimal={false} value={onPage}
              onChange={(v) => setPage(Number(v) || 1)} />
            {POSITION_FIELDS.map(([key, label]) => (
              <NumberInput key={key} label={label} w={150} min={0} value={position[key]}
                onChange={(v) => setPosition({ ...position, [key]: Number(v) || 0 })} />
            ))}
          </Group>
          <Group>
            <Button variant="default" disabled={!ready} onClick={() => onAdd({ documentId: chosen, page: onPage, ...position })}>Add this box</Button>
          </Group>
        </Stack>
      </Collapse>
    </div>
  );
}

/** Every box of every page, kept until the packet is built; each may be removed. */
function RedactionList({ boxes, labelOf, onRemove }: { boxes: PacketRedaction[]; labelOf: (documentId: string) => string; onRemove: (index: number) => void }) {
  if (!boxes.length) return <Text size="sm" data-testid="redaction-list">No redaction boxes yet.</Text>;
  const pt = (n: number) => Math.round(n);
  return (
    <Table data-testid="redaction-list">
      <Table.Caption>Redaction boxes (points from the page&apos;s top-left corner)</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Box</Table.Th><Table.Th scope="col">Document</Table.Th><Table.Th scope="col">Page</Table.Th>
          <Table.Th scope="col">Position</Table.Th><Table.Th scope="col"><VisuallyHidden>Remove</VisuallyHidden></Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {boxes.map((b, i) => (
          <Table.Tr key={i}>
            <Table.Td>Redaction {i + 1}</Table.Td>
            <Table.Td>{labelOf(b.documentId)}</Table.Td>
            <Table.Td>{b.page}</Table.Td>
            <Table.Td>{`${pt(b.x)}, ${pt(b.y)}; ${pt(b.width)} by ${pt(b.height)}`}</Table.Td>
            <Table.Td>
              <Button size="xs" variant="subtle" color="red" onClick={() => onRemove(i)}>Remove<VisuallyHidden> redaction {i + 1}</VisuallyHidden></Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Build the packet, with redaction boxes drawn on the page previews (or entered by their position). */
export function BuildPacket({ id }: { id: string }) {
  const documents = useRequestDocuments(id, true);
  const build = usePacketAction<{ redactions: PacketRedaction[] }>(id, '');
  const included: RedactableDocument[] = (documents.data?.documents ?? [])
    .filter((d) => d.included)
    .map((d) => ({ documentId: d.documentId, label: `${d.title ?? d.type} (${d.serviceDate})` }));
  const [boxes, setBoxes] = useState<PacketRedaction[]>([]);
  const [view, setView] = useState<PageView | null>(null);
  const shown = view ?? (included[0] ? { documentId: included[0].documentId, page: 1 } : null);
  const labelOf = (documentId: string) => included.find((d) => d.documentId === documentId)?.label ?? 'A document not in the packet';
  const add = (box: PacketRedaction) => setBoxes([...boxes, box]);
  return (
    <Stack gap="xs" data-testid="packet-build">
      <Text size="sm">Redactions are blacked out for good in the packet: what lies under a box is removed, not merely covered.</Text>
      {shown && <RedactionCanvas requestId={id} documents={included} view={shown} onViewChange={setView} boxes={boxes} onDraw={add} />}
      <RedactionList boxes={boxes} labelOf={labelOf} onRemove={(i) => setBoxes(boxes.filter((_, j) => j !== i))} />
      {shown && <BoxByPosition requestId={id} documents={included} shown={shown} onAdd={add} />}
      <Group>
        <Button loading={build.isPending} onClick={() => build.mutate({ redactions: boxes })}>Build packet</Button>
      </Group>
      <ReleaseProblem error={build.error} />
    </Stack>
  );
}
