/** One line of a legal checklist: what the rule asks, where the law says so, and whether the request meets it. */
export interface ChecklistItem {
  key: string;
  label: string;
  cite: string;
  /** The request field the clerk would fix (problem+json names it). */
  field: string;
  met: boolean;
  /** Why it is not met, in words a clerk can act on. */
  reason?: string;
}

export interface ChecklistRule<T> {
  key: string;
  label: string;
  cite: string;
  field: string;
  met: (value: T) => boolean;
  reason: string;
}

export const hasText = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim().length > 0;

/** Each rule applied to the value, met or not, so the page shows the whole list. */
export function applyRules<T>(rules: readonly ChecklistRule<T>[], value: T, fieldPrefix = ''): ChecklistItem[] {
  return rules.map((r) => {
    const met = r.met(value);
    return { key: r.key, label: r.label, cite: r.cite, field: `${fieldPrefix}${r.field}`, met, ...(met ? {} : { reason: r.reason }) };
  });
}

export const unmet = (items: ChecklistItem[]): ChecklistItem[] => items.filter((i) => !i.met);
