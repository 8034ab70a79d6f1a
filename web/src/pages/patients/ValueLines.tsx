import { List, Text } from '@mantine/core';

/** A value in words (value-text.ts): one line as text, several as a list, none as "(blank)". */
export function ValueLines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return <Text size="sm">(blank)</Text>;
  if (lines.length === 1) return <Text size="sm">{lines[0]}</Text>;
  return (
    <List size="sm" spacing={2}>
      {lines.map((line, i) => (
        <List.Item key={`${i}:${line}`}>{line}</List.Item>
      ))}
    </List>
  );
}
