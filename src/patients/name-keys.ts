import { doubleMetaphone } from 'double-metaphone';
import { NICKNAMES } from './nicknames.js';

/**
 * Normalisers for the MPI's indexed search keys and for matching. Each is pure and idempotent:
 * applying it to its own output changes nothing, so a key computed at registration and one computed
 * at search time always agree.
 */

/** Letters that Unicode does not decompose into a base letter and a mark. */
const UNDECOMPOSED_LETTERS: Readonly<Record<string, string>> = {
  Æ: 'AE', Ø: 'O', Ł: 'L', Œ: 'OE', Đ: 'D', Ð: 'D', Þ: 'TH', Ħ: 'H', Ŋ: 'NG', ẞ: 'SS', Ŧ: 'T', Ɨ: 'I', Ƶ: 'Z',
};

/** A name as a key: no diacritics, upper case, A-Z only (no spaces, hyphens, apostrophes or dots). */
export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase() // also ß → SS
    // Latin letters fold to A-Z; letters of other scripts (王伟, Иван) are kept as they are, so those
    // names still have a key to be found and matched by.
    .replace(/[^A-Z]/g, (c) => UNDECOMPOSED_LETTERS[c] ?? (/\p{L}/u.test(c) && !/\p{Script=Latin}/u.test(c) ? c : ''));
}

/** The parts of a compound name (`Garcia Lopez`, `Smith-Jones`), each normalised. */
export function nameTokens(s: string): string[] {
  return s
    .split(/[\s\-\u2010-\u2015,/]+/)
    .map(normalizeName)
    .filter((t) => t !== '');
}

/** Double Metaphone primary code of the normalised name, so Smith, Smyth and Schmidt meet. */
export function phoneticKey(s: string): string {
  const name = normalizeName(s);
  return name === '' ? '' : doubleMetaphone(name)[0];
}

// Built once from the nickname table: which formal names each name may stand for.
const FORMAL_NAMES_OF = new Map<string, string[]>();
for (const [formal, nicknames] of Object.entries(NICKNAMES)) {
  for (const name of [formal, ...nicknames]) {
    const formals = FORMAL_NAMES_OF.get(name) ?? [];
    if (!formals.includes(formal)) formals.push(formal);
    FORMAL_NAMES_OF.set(name, formals);
  }
}
for (const formals of FORMAL_NAMES_OF.values()) formals.sort();

/** Separates the formal names in a group key: `ALEXANDER/ALEXANDRA/ALEXIS`. */
export const GIVEN_NAME_GROUP_SEPARATOR = '/';

/** The formal names a given name may stand for: itself if formal, and every formal name it is a nickname of. */
export function formalGivenNames(s: string): string[] {
  const name = normalizeName(s);
  if (name === '') return [];
  if (NICKNAMES[name]) return [name];
  return FORMAL_NAMES_OF.get(name) ?? [name];
}

/**
 * The canonical form of a given name: BILL, WILL and LIAM → WILLIAM. A nickname shared by several
 * formal names maps to their group key (ALEX → `ALEXANDER/ALEXANDRA/ALEXIS`); a name not in the
 * table is only normalised.
 */
export function canonicalGivenName(s: string): string {
  return formalGivenNames(s).join(GIVEN_NAME_GROUP_SEPARATOR);
}

/** True when two given names may be the same person's: equal, in the same nickname group, or one a nickname of the other. */
export function givenNamesMayMatch(a: string, b: string): boolean {
  const fa = formalGivenNames(a);
  const fb = formalGivenNames(b);
  return fa.some((name) => fb.includes(name));
}

/**
 * Every `canonicalGivenName` value a record whose given name may match `s` can carry, for an indexed
 * look-up: ALEXANDER → ALEXANDER, ALEXANDER/ALEXANDRA/ALEXIS (a record registered as Alex).
 */
export function givenNameSearchKeys(s: string): string[] {
  const formals = formalGivenNames(s);
  const keys = new Set(formals);
  for (const name of formals) {
    for (const nickname of NICKNAMES[name] ?? []) keys.add(canonicalGivenName(nickname));
  }
  return [...keys].sort();
}

/** Phone digits: a US number with its leading 1 → 10 digits; '' when too short to be a number. An extension is dropped. */
export function normalizePhone(s: string): string {
  const digits = s.split(/x|ext/i)[0].replace(/\D/g, '');
  if (digits.length < 7) return '';
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

export function normalizeEmail(s: string): string {
  return s.trim().toLowerCase();
}

/** A US ZIP or ZIP+4 → its five digits; any other postal code upper case without spaces. */
export function normalizePostalCode(s: string): string {
  const compact = s.replace(/\s+/g, '').toUpperCase();
  const zip = /^(\d{5})(?:-?\d{4})?$/.exec(compact);
  return zip ? zip[1] : compact;
}

/** USPS Publication 28 abbreviations for the words that most often vary in a first address line. */
const ADDRESS_WORDS: Readonly<Record<string, string>> = {
  STREET: 'ST', STR: 'ST', AVENUE: 'AVE', AV: 'AVE', AVEN: 'AVE', ROAD: 'RD', DRIVE: 'DR', DRV: 'DR', LANE: 'LN',
  BOULEVARD: 'BLVD', BOUL: 'BLVD', COURT: 'CT', PLACE: 'PL', TERRACE: 'TER', CIRCLE: 'CIR', PARKWAY: 'PKWY',
  HIGHWAY: 'HWY', SQUARE: 'SQ', TRAIL: 'TRL', WAY: 'WAY', ROUTE: 'RTE', ALLEY: 'ALY', CRESCENT: 'CRES',
  EXPRESSWAY: 'EXPY', FREEWAY: 'FWY', HEIGHTS: 'HTS', MOUNT: 'MT', POINT: 'PT', RIDGE: 'RDG', SPRINGS: 'SPGS',
  NORTH: 'N', SOUTH: 'S', EAST: 'E', WEST: 'W', NORTHEAST: 'NE', NORTHWEST: 'NW', SOUTHEAST: 'SE', SOUTHWEST: 'SW',
  FIRST: '1ST', SECOND: '2ND', THIRD: '3RD', FOURTH: '4TH', FIFTH: '5TH', SIXTH: '6TH', SEVENTH: '7TH',
  EIGHTH: '8TH', NINTH: '9TH', TENTH: '10TH',
  // Unit designators are dropped and the unit number kept: "Apt 4", "Unit 4" and "#4" are one address.
  APARTMENT: '', APT: '', UNIT: '', SUITE: '', STE: '', NO: '', NUMBER: '',
};

/** A first address line for equality: upper case, no punctuation, USPS street-word abbreviations, unit designators dropped. */
export function normalizeAddressLine(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .map((word) => ADDRESS_WORDS[word] ?? word)
    .filter((word) => word !== '')
    .join(' ');
}

/** Name suffixes that tell generations apart, and the generation each names (JR and II are both the second). */
export const GENERATIONAL_SUFFIXES: Readonly<Record<string, number>> = {
  SR: 1, SENIOR: 1, I: 1, JR: 2, JUNIOR: 2, II: 2, '2ND': 2, III: 3, '3RD': 3, IV: 4, '4TH': 4, V: 5, '5TH': 5, VI: 6, '6TH': 6,
};

/** The generational suffix in a suffix field (`Jr.`, `III`, `Sr, MD`) as JR, SR, II, III...; '' when there is none. */
export function normalizeSuffix(s: string): string {
  const words = s.toUpperCase().split(/[^A-Z0-9]+/);
  const word = words.find((w) => GENERATIONAL_SUFFIXES[w] !== undefined);
  if (word === undefined) return '';
  return ({ SENIOR: 'SR', JUNIOR: 'JR', '2ND': 'II', '3RD': 'III', '4TH': 'IV', '5TH': 'V', '6TH': 'VI' } as Record<string, string>)[word] ?? word;
}
