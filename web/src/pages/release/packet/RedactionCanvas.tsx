import { Box, Button, Group, Loader, NativeSelect, Text } from '@mantine/core';
import { useId, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { documentPageImageUrl, useDocumentPages, type DocumentPageSize, type PacketRedaction } from '../../../api/release-packet';
import { ReleaseProblem } from '../LegalChecklistView';

/** Which page of which included document the clerk is looking at. */
export interface PageView {
  documentId: string;
  page: number;
}

export interface RedactableDocument {
  documentId: string;
  label: string;
}

/** A drag too small to be meant (a click) draws nothing. */
const MIN_DRAG_PIXELS = 4;

interface Drag {
  pointerId: number;
  /** Where the drag began and where the pointer is, in pixels from the displayed page's top-left. */
  from: { x: number; y: number };
  to: { x: number; y: number };
  /** The page image's displayed size when the drag began. */
  displayed: { width: number; height: number };
}

const clamp = (value: number, max: number) => Math.min(Math.max(value, 0), max);

/**
 * A rectangle dragged on the displayed page, in points from the page's top-left corner: the page's
 * size in points (from the server) over its displayed size in pixels, so the box is where it was drawn
 * however large the image is shown.
 */
export function pixelsToPoints(drag: Pick<Drag, 'from' | 'to'>, displayed: { width: number; height: number }, page: DocumentPageSize) {
  const sx = page.width / displayed.width;
  const sy = page.height / displayed.height;
  const x = Math.min(drag.from.x, drag.to.x) * sx;
  const y = Math.min(drag.from.y, drag.to.y) * sy;
  return {
    x, y,
    width: Math.min(Math.abs(drag.to.x - drag.from.x) * sx, page.width - x),
    height: Math.min(Math.abs(drag.to.y - drag.from.y) * sy, page.height - y),
  };
}

/** A box in points as percentages of the page, to show it over the image at any size. */
const placed = (box: { x: number; y: number; width: number; height: number }, page: DocumentPageSize) => ({
  left: `${(box.x / page.width) * 100}%`, top: `${(box.y / page.height) * 100}%`,
  width: `${(box.width / page.width) * 100}%`, height: `${(box.height / page.height) * 100}%`,
});

const SHADE = 'rgba(0, 0, 0, 0.55)';

/**
 * The page preview to draw redaction boxes on with the mouse (or a pen or finger): pick a document
 * and a page, drag across what must be blacked out. Boxes already drawn on the page are shown as
 * translucent black rectangles. Keyboard users enter boxes by their position instead (BuildPacket).
 */
export function RedactionCanvas({ requestId, documents, view, onViewChange, boxes, onDraw }: {
  requestId: string;
  documents: RedactableDocument[];
  view: PageView;
  onViewChange: (view: PageView) => void;
  boxes: PacketRedaction[];
  onDraw: (box: PacketRedaction) => void;
}) {
  const pages = useDocumentPages(requestId, view.documentId);
  const image = useRef<HTMLImageElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const help = useId();
  const pageCount = pages.data?.pageCount ?? 0;
  const size = pages.data?.pages.find((p) => p.page === view.page);
  const label = documents.find((d) => d.documentId === view.documentId)?.label ?? 'the document';
  const src = documentPageImageUrl(requestId, view.documentId, view.page);
  const onThisPage = boxes.map((box, index) => ({ box, index })).filter(({ box }) => box.documentId === view.documentId && box.page === view.page);

  // Measured on the image itself (not its frame), so a border never shifts the box.
  const pointAt = (e: ReactPointerEvent<HTMLDivElement>) => {
    const rect = image.current!.getBoundingClientRect();
    return { x: clamp(e.clientX - rect.left, rect.width), y: clamp(e.clientY - rect.top, rect.height) };
  };
  const begin = (e: ReactPointerEvent<HTMLDivElement>) => {
    // Only on the page as now shown: never on the previous page's image while the next one loads.
    if (e.button !== 0 || !size || !image.current || loaded !== src) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const at = pointAt(e);
    const { width, height } = image.current.getBoundingClientRect();
    setDrag({ pointerId: e.pointerId, from: at, to: at, displayed: { width, height } });
  };
  const move = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (drag?.pointerId === e.pointerId) setDrag({ ...drag, to: pointAt(e) });
  };
  const end = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (drag?.pointerId !== e.pointerId) return;
    setDrag(null);
    const to = pointAt(e);
    if (!size || Math.abs(to.x - drag.from.x) < MIN_DRAG_PIXELS || Math.abs(to.y - drag.from.y) < MIN_DRAG_PIXELS) return;
    onDraw({ documentId: view.documentId, page: view.page, ...pixelsToPoints({ from: drag.from, to }, drag.displayed, size) });
  };
  const draft = drag && size ? placed(pixelsToPoints(drag, drag.displayed, size), size) : null;

  return (
    <Box data-testid="redaction-canvas">
      <Group gap="xs" align="end" mb="xs">
        <NativeSelect label="Document to redact" value={view.documentId} onChange={(e) => onViewChange({ documentId: e.currentTarget.value, page: 1 })}
          data={documents.map((d) => ({ value: d.documentId, label: d.label }))} />
        <Button variant="default" disabled={view.page <= 1} onClick={() => onViewChange({ ...view, page: view.page - 1 })}>Previous page</Button>
        <Button variant="default" disabled={view.page >= pageCount} onClick={() => onViewChange({ ...view, page: view.page + 1 })}>Next page</Button>
        <Text size="sm" aria-live="polite" data-testid="redaction-page">{pageCount ? `Page ${view.page} of ${pageCount}` : ''}</Text>
      </Group>
      <ReleaseProblem error={pages.error} />
      {pages.isPending && <Loader size="sm" role="status" aria-label="Loading the document's pages" />}
      {failed === src && <Text size="sm" c="red.8" role="alert">This page could not be shown. Enter its boxes by their position instead, or try again later.</Text>}
      {size && (
        <>
          <Text size="sm" mb={4} id={help}>
            Drag across the page with the mouse to black out what lies under the box. Each box is listed below.
          </Text>
          <div
            data-testid="redaction-surface"
            aria-busy={loaded !== src}
            onPointerDown={begin}
            onPointerMove={move}
            onPointerUp={end}
            onPointerCancel={() => setDrag(null)}
            style={{
              position: 'relative', width: '100%', maxWidth: 720, aspectRatio: `${size.width} / ${size.height}`,
              outline: '1px solid #868e96', cursor: 'crosshair', touchAction: 'none', userSelect: 'none',
            }}
          >
            <img
              key={src}
              ref={image}
              src={src}
              onLoad={() => setLoaded(src)}
              onError={() => setFailed(src)}
              alt={`Page ${view.page} of ${label}, to draw redaction boxes on`}
              aria-describedby={help}
              draggable={false}
              style={{ display: 'block', width: '100%', height: '100%' }}
            />
            {onThisPage.map(({ box, index }) => (
              <div key={index} data-testid="redaction-box" aria-hidden="true" title={`Redaction ${index + 1}`}
                style={{ position: 'absolute', background: SHADE, pointerEvents: 'none', ...placed(box, size) }} />
            ))}
            {draft && <div data-testid="redaction-draft" aria-hidden="true" style={{ position: 'absolute', background: SHADE, outline: '1px dashed #000', pointerEvents: 'none', ...draft }} />}
          </div>
        </>
      )}
    </Box>
  );
}
