import type * as fhir4 from 'fhir/r4.js';

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
