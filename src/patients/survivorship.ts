import type { StoredDemographics } from './patient-record.js';

/**
 * Survivorship: which values the surviving record keeps when two records of one person are merged.
 * The survivor's values win; a value only the retired record has fills the blank; lists are joined
 * without repeats; the retired record's legal name, if different, becomes a previous name.
 */
export type FieldSource = 'survivor' | 'retired' | 'both' | 'neither';

export interface MergePlan {
  merged: StoredDemographics;
  sources: Record<string, FieldSource>;
  /** What the retired record adds to the survivor's lists, so an unmerge can take exactly that back out. */
  added: Partial<Record<ListField, unknown[]>>;
}

const LIST_FIELDS = ['previousNames', 'addresses', 'phones', 'contacts', 'coverages', 'identifiers', 'race'] as const;
type ListField = (typeof LIST_FIELDS)[number];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function planMerge(survivor: StoredDemographics, retired: StoredDemographics): MergePlan {
  const merged: Record<string, unknown> = { ...survivor };
  const sources: Record<string, FieldSource> = {};
  const added: MergePlan['added'] = {};
  const keys = new Set([...Object.keys(survivor), ...Object.keys(retired)]);
  for (const key of keys) {
    const s = (survivor as Record<string, unknown>)[key];
    const r = (retired as Record<string, unknown>)[key];
    if ((LIST_FIELDS as readonly string[]).includes(key)) {
      const base = (s as unknown[] | undefined) ?? [];
      const extra = ((r as unknown[] | undefined) ?? []).filter((item) => !base.some((b) => same(b, item)));
      merged[key] = [...base, ...extra];
      if (extra.length) added[key as ListField] = extra;
      sources[key] = base.length && extra.length ? 'both' : base.length ? 'survivor' : extra.length ? 'retired' : 'neither';
    } else if (key === 'flags' || key === 'communication') {
      // A flag set on either record stays set: losing "restricted" or "do not release" in a merge would expose the patient.
      const sf = (s ?? {}) as Record<string, boolean>;
      const rf = (r ?? {}) as Record<string, boolean>;
      merged[key] = key === 'flags' ? Object.fromEntries([...new Set([...Object.keys(sf), ...Object.keys(rf)])].map((f) => [f, Boolean(sf[f] || rf[f])])) : sf;
      sources[key] = same(merged[key], sf) ? 'survivor' : 'both';
    } else if (isBlank(s) && !isBlank(r)) {
      merged[key] = r;
      sources[key] = 'retired';
    } else {
      sources[key] = isBlank(s) ? 'neither' : 'survivor';
    }
  }
  const retiredName = { given: retired.given, family: retired.family };
  const knownNames = [{ given: survivor.given, family: survivor.family }, ...((merged.previousNames as { given?: string; family: string }[]) ?? [])];
  if (!knownNames.some((n) => n.family === retiredName.family && (n.given ?? survivor.given) === retiredName.given)) {
    merged.previousNames = [...((merged.previousNames as unknown[]) ?? []), retiredName];
    added.previousNames = [...(added.previousNames ?? []), retiredName];
    sources.previousNames = (survivor.previousNames ?? []).length ? 'both' : 'retired';
  }
  // Coverages the retired record adds come after the survivor's in the order of benefits.
  if (added.coverages?.length) {
    const survivorCoverages = survivor.coverages ?? [];
    let next = Math.max(0, ...survivorCoverages.map((c) => c.order)) + 1;
    const renumbered = (added.coverages as StoredDemographics['coverages']).map((c) => ({ ...c, order: Math.min(9, next++) }));
    merged.coverages = [...survivorCoverages, ...renumbered];
    added.coverages = renumbered;
  }
  return { merged: merged as StoredDemographics, sources, added };
}

/** Takes out of a survivor's lists what a merge added, for an unmerge; edits made since stay. */
export function removeAdded(current: StoredDemographics, added: MergePlan['added']): StoredDemographics {
  const out: Record<string, unknown> = { ...current };
  for (const [key, items] of Object.entries(added)) {
    const list = (out[key] as unknown[] | undefined) ?? [];
    out[key] = list.filter((item) => !(items as unknown[]).some((a) => same(a, item)));
  }
  return out as StoredDemographics;
}
