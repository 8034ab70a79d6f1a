import { Badge } from '@mantine/core';
import type { DocumentStatus } from '../../api/documents';
import { STATUS_COLOURS, STATUS_LABELS } from './document-labels';

export function DocumentStatusBadge({ status }: { status: DocumentStatus }) {
  return (
    <Badge color={STATUS_COLOURS[status]} variant="filled">
      {STATUS_LABELS[status]}
    </Badge>
  );
}
