import { Checkbox, NativeSelect, TextInput, Textarea } from '@mantine/core';

/** Small labelled inputs for the wizard: every one has a visible label, so screen readers name it. */
export function Select({ label, value, onChange, choices, description, placeholder }: {
  label: string; value: string; onChange: (v: string) => void; choices: Record<string, string>; description?: string; placeholder?: string;
}) {
  const data = [...(placeholder !== undefined ? [{ value: '', label: placeholder }] : []), ...Object.entries(choices).map(([value, l]) => ({ value, label: l }))];
  return <NativeSelect label={label} description={description} value={value} onChange={(e) => onChange(e.currentTarget.value)} data={data} />;
}

export function Text({ label, value, onChange, description, type, required }: {
  label: string; value: string; onChange: (v: string) => void; description?: string; type?: 'date' | 'email' | 'text'; required?: boolean;
}) {
  return <TextInput label={label} description={description} type={type ?? 'text'} value={value} required={required} onChange={(e) => onChange(e.currentTarget.value)} />;
}

export function LongText({ label, value, onChange, description }: { label: string; value: string; onChange: (v: string) => void; description?: string }) {
  return <Textarea label={label} description={description} value={value} autosize minRows={2} onChange={(e) => onChange(e.currentTarget.value)} />;
}

export function Tick({ label, checked, onChange, description }: { label: string; checked: boolean; onChange: (v: boolean) => void; description?: string }) {
  return <Checkbox label={label} description={description} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />;
}

/** A group of checkboxes for a list of codes. */
export function TickList({ legend, choices, value, onChange }: { legend: string; choices: Record<string, string>; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <Checkbox.Group label={legend} value={value} onChange={onChange}>
      {Object.entries(choices).map(([code, label]) => <Checkbox key={code} value={code} label={label} mt={4} />)}
    </Checkbox.Group>
  );
}
