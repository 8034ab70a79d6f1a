import { Badge, Group, List, Text, ThemeIcon } from '@mantine/core';
import { ApiError } from '../../api/client';
import type { ChecklistItem } from '../../api/release';
import { ProblemAlert } from '../../components/ProblemAlert';

/** The legal checklist: each rule met or not, with its citation and, when not met, what to fix. */
export function LegalChecklistView({ items, label, testId }: { items: ChecklistItem[]; label: string; testId?: string }) {
  const failed = items.filter((i) => !i.met).length;
  return (
    <div data-testid={testId}>
      <Group gap="xs" mb="xs">
        <Badge color={failed ? 'red.9' : 'teal.9'} variant="filled" data-testid={testId ? `${testId}-verdict` : undefined}>
          {failed ? 'Invalid' : 'Valid'}
        </Badge>
        <Text size="sm">{failed ? `${failed} of ${items.length} checks not met` : `All ${items.length} checks met`}</Text>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">The basis needs no further checks.</Text>
      ) : (
        <List spacing={4} aria-label={label} listStyleType="none" ml={0} pl={0}>
          {items.map((i) => (
            <List.Item key={`${i.field}-${i.key}`} data-met={i.met} icon={
              <ThemeIcon size="sm" radius="xl" color={i.met ? 'teal.9' : 'red.9'} aria-hidden>{i.met ? '✓' : '✗'}</ThemeIcon>
            }>
              <Text size="sm" span fw={500}>{i.met ? 'Met: ' : 'Not met: '}{i.label}</Text>{' '}
              <Text size="xs" span c="dimmed">({i.cite})</Text>
              {i.reason && <Text size="sm" c="red.9" data-testid="checklist-reason">{i.reason}</Text>}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}

/** An API error with the server's per-field messages listed under it. */
export function ReleaseProblem({ error }: { error: unknown }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.problem.errors ?? [] : [];
  return (
    <ProblemAlert error={error} hint={fields.length ? (
      <List size="sm" data-testid="problem-fields">
        {fields.map((f) => <List.Item key={`${f.field}-${f.message}`}>{f.message}</List.Item>)}
      </List>
    ) : undefined} />
  );
}
