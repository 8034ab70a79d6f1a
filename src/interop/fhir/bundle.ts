import type * as fhir4 from 'fhir/r4.js';
import { informationOutcome } from './operation-outcome.js';

/** One resource found, with its address and why it is in the set. */
export interface SearchEntry {
  resource: fhir4.FhirResource;
  fullUrl?: string;
  search: fhir4.BundleEntrySearch;
}

/**
 * A `searchset` Bundle (https://hl7.org/fhir/R4/bundle.html): the matches with their full URLs, the
 * total the search found, and the paging links a client follows.
 */
export function searchsetBundle(options: { total: number; entries: SearchEntry[]; self: string; next?: string; previous?: string; first?: string }): fhir4.Bundle {
  const link: fhir4.BundleLink[] = [{ relation: 'self', url: options.self }];
  if (options.first) link.push({ relation: 'first', url: options.first });
  if (options.previous) link.push({ relation: 'previous', url: options.previous });
  if (options.next) link.push({ relation: 'next', url: options.next });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: options.total,
    link,
    entry: options.entries.map((e) => ({ ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), resource: e.resource, search: e.search })),
  };
}

export interface SearchNote {
  severity: 'information' | 'warning';
  diagnostics: string;
}

/** The warnings for search parameters left out under Prefer: handling=lenient. */
export const ignoredParameterNotes = (ignored: string[]): SearchNote[] =>
  ignored.map((name) => ({ severity: 'warning', diagnostics: `The search parameter ${name} is not supported and was ignored.` }));

/**
 * One page of a search as a searchset Bundle: the matches, an OperationOutcome entry for any notes
 * (records withheld, parameters ignored), and the self, first, previous and next links.
 */
export function pagedSearchset(options: { total: number; entries: SearchEntry[]; offset: number; count: number; url: (offset: number) => string; notes: SearchNote[] }): fhir4.Bundle {
  const { total, offset, count, url } = options;
  const entries = options.notes.length ? [...options.entries, { resource: informationOutcome(options.notes), search: { mode: 'outcome' as const } }] : options.entries;
  return searchsetBundle({
    total, entries, self: url(offset), first: url(0),
    ...(offset + count < total ? { next: url(offset + count) } : {}),
    ...(offset > 0 ? { previous: url(Math.max(0, offset - count)) } : {}),
  });
}
