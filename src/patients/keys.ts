import type { Demographics } from './demographics.js';
import type { MatchRecord } from './matching.js';
import { canonicalGivenName, normalizeAddressLine, normalizeEmail, normalizeName, normalizePhone, normalizePostalCode, phoneticKey } from './name-keys.js';

/** The keys one name is searched and matched by. */
export interface NameKeys {
  familyKey: string;
  givenKey: string;
  givenCanon: string;
  familyPhonetic: string;
  givenPhonetic: string;
}

export function nameKeys(given: string, family: string): NameKeys {
  return {
    familyKey: normalizeName(family),
    givenKey: normalizeName(given),
    givenCanon: canonicalGivenName(given),
    familyPhonetic: phoneticKey(family),
    givenPhonetic: phoneticKey(given),
  };
}

export type NameKind = 'legal' | 'previous' | 'preferred';

/** Every name a patient may be looked up by: the legal name, previous names, the preferred given name. */
export function namesOf(d: Pick<Demographics, 'given' | 'family' | 'previousNames' | 'preferredName'>): { kind: NameKind; keys: NameKeys }[] {
  const names: { kind: NameKind; keys: NameKeys }[] = [{ kind: 'legal', keys: nameKeys(d.given, d.family) }];
  for (const p of d.previousNames) names.push({ kind: 'previous', keys: nameKeys(p.given ?? d.given, p.family) });
  if (d.preferredName) names.push({ kind: 'preferred', keys: nameKeys(d.preferredName, d.family) });
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = `${n.keys.familyKey}|${n.keys.givenKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The current home address (or the first), whose postal code and first line take part in matching. */
export function currentAddress(d: Pick<Demographics, 'addresses'>) {
  return d.addresses.find((a) => a.use === 'home' && !a.until) ?? d.addresses.find((a) => a.use !== 'old') ?? d.addresses[0];
}

export const phoneDigits = (d: Pick<Demographics, 'phones'>): string[] =>
  [...new Set(d.phones.map((p) => normalizePhone(p.number)).filter(Boolean))];

/** A patient as the matcher compares them. SSNs are compared by keyed hash and last four only. */
export function toMatchRecord(d: Omit<Demographics, 'ssn'>, ssn: { hash: string | null; last4: string | null }): MatchRecord {
  const address = currentAddress(d);
  return {
    given: d.given,
    middle: d.middle ?? null,
    family: d.family,
    suffix: d.suffix ?? null,
    previousFamilies: d.previousNames.map((p) => p.family),
    birthDate: d.birthDate,
    sex: d.sex,
    ssnHash: ssn.hash,
    ssnLast4: ssn.last4,
    phones: phoneDigits(d),
    email: d.email ? normalizeEmail(d.email) : null,
    postalCode: address?.postalCode ? normalizePostalCode(address.postalCode) : null,
    addressLine: address ? normalizeAddressLine(address.line1) : null,
  };
}
