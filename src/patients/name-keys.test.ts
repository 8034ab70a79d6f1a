import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalGivenName, formalGivenNames, givenNameSearchKeys, givenNamesMayMatch, nameTokens, normalizeAddressLine,
  normalizeEmail, normalizeName, normalizePhone, normalizePostalCode, normalizeSuffix, phoneticKey,
} from './name-keys.js';
import { NICKNAMES } from './nicknames.js';

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', "O'Brien-Smith", 'Strauß', 'ﬁnn', 'İstanbul', 'ǅ'));

describe('normalizeName', () => {
  it.each([
    ["O'Brien-Smith", 'OBRIENSMITH'],
    ['José', 'JOSE'],
    ['Müller', 'MULLER'],
    ['Strauß', 'STRAUSS'],
    ['Ærøskøbing', 'AEROSKOBING'],
    ['Łukasz', 'LUKASZ'],
    ['Nguyễn', 'NGUYEN'],
    ['Dvořák', 'DVORAK'],
    ['Ñúñez', 'NUNEZ'],
    ['Zoë', 'ZOE'],
    ['Þórr', 'THORR'],
    ['McDonald', 'MCDONALD'],
    ['Mc Donald', 'MCDONALD'],
    ["D'Angelo", 'DANGELO'],
    ['O’Neil', 'ONEIL'],
    ['St. John', 'STJOHN'],
    ['  smith  ', 'SMITH'],
    ['Smith 3rd', 'SMITHRD'],
    ['ﬁnn', 'FINN'],
    ['Ｓｍｉｔｈ', 'SMITH'],
    ['王伟', '王伟'],
    ['Иван', 'ИВАН'],
    ['', ''],
  ])('%j → %j', (name, key) => {
    expect(normalizeName(name)).toBe(key);
  });

  it('is idempotent and leaves only letters: Latin ones folded to A-Z, other scripts as they are', () => {
    fc.assert(
      fc.property(text, (s) => {
        const key = normalizeName(s);
        expect(key).toMatch(/^(?:[A-Z]|(?![\p{Script=Latin}])\p{L})*$/u);
        expect(normalizeName(key)).toBe(key);
      }),
    );
  });
});

describe('nameTokens', () => {
  it.each([
    ['Garcia Lopez', ['GARCIA', 'LOPEZ']],
    ['Smith-Jones', ['SMITH', 'JONES']],
    ['García – López', ['GARCIA', 'LOPEZ']],
    ["O'Brien", ['OBRIEN']],
    ['de la Cruz', ['DE', 'LA', 'CRUZ']],
    ['Mary Ann', ['MARY', 'ANN']],
    ['', []],
    ['  -  ', []],
  ])('%j → %j', (name, tokens) => {
    expect(nameTokens(name)).toEqual(tokens);
  });
});

describe('phoneticKey', () => {
  it.each([
    ['Smith', 'Smyth'],
    ['Johnson', 'Jonson'],
    ['Catherine', 'Kathryn'],
    ["O'Brien", 'OBrien'],
    ['Müller', 'Muller'],
  ])('gives %s and %s one key', (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
    expect(phoneticKey(a)).not.toBe('');
  });

  it.each(['', ' ', "'-", '王伟'])('is empty for %j, which has no letters to sound', (s) => {
    expect(phoneticKey(s)).toBe('');
  });
});

describe('canonicalGivenName', () => {
  it.each([
    ['Bill', 'WILLIAM'], ['Billy', 'WILLIAM'], ['Will', 'WILLIAM'], ['Willy', 'WILLIAM'], ['Liam', 'WILLIAM'], ['William', 'WILLIAM'],
    ['Bob', 'ROBERT'], ['Bobby', 'ROBERT'], ['Rob', 'ROBERT'], ['Robbie', 'ROBERT/ROBERTA/ROBERTO'],
    ['Peggy', 'MARGARET'], ['Maggie', 'MARGARET'], ['Betsy', 'ELIZABETH'], ['Jack', 'JOHN'], ['Steven', 'STEPHEN'],
    ['Catherine', 'KATHERINE'], ['Paco', 'FRANCISCO'], ['Lupe', 'GUADALUPE'],
    ['Alex', 'ALEJANDRO/ALEXANDER/ALEXANDRA/ALEXIS'], ['Chris', 'CHRISTIAN/CHRISTINA/CHRISTINE/CHRISTOPHER'],
    ['Sam', 'SAMANTHA/SAMUEL'], ['Pat', 'PATRICIA/PATRICK'], ['Terry', 'TERRENCE/THERESA'], ['Jess', 'JESSE/JESSICA'],
    ['  bill ', 'WILLIAM'], ['José', 'JOSE'], ['Zelda', 'ZELDA'], ["D'Shawn", 'DSHAWN'], ['', ''],
  ])('%j → %j', (name, canonical) => {
    expect(canonicalGivenName(name)).toBe(canonical);
  });

  it('gives every nickname one key whatever the order of the table', () => {
    for (const nicknames of Object.values(NICKNAMES)) {
      for (const nickname of nicknames) expect(canonicalGivenName(nickname)).toBe([...formalGivenNames(nickname)].sort().join('/'));
    }
  });
});

describe('givenNamesMayMatch', () => {
  it.each([
    ['Bill', 'William', true],
    ['Bill', 'Will', true],
    ['Liam', 'Billy', true],
    ['Peggy', 'Margaret', true],
    ['Alex', 'Alexandra', true],
    ['Alex', 'Alexander', true],
    ['Sandy', 'Alex', true],
    ['Chris', 'Christine', true],
    ['Jess', 'Jesse', true],
    ['Zelda', 'zelda', true],
    ['Alexander', 'Alexandra', false],
    ['John', 'Joan', false],
    ['William', 'Robert', false],
    ['Jesse', 'Jessica', false],
    ['', '', false],
    ['', 'John', false],
  ])('%j and %j → %s', (a, b, mayMatch) => {
    expect(givenNamesMayMatch(a, b)).toBe(mayMatch);
    expect(givenNamesMayMatch(b, a)).toBe(mayMatch);
  });
});

describe('givenNameSearchKeys', () => {
  it('finds a record registered under a nickname shared by several formal names', () => {
    expect(givenNameSearchKeys('Alexander')).toContain(canonicalGivenName('Alex'));
    expect(givenNameSearchKeys('Sandra')).toContain(canonicalGivenName('Sandy'));
  });

  it('holds the key of every name that may match', () => {
    const names = [...Object.keys(NICKNAMES), ...Object.values(NICKNAMES).flat()];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...names), (a, b) => {
        if (givenNamesMayMatch(a, b)) expect(givenNameSearchKeys(a)).toContain(canonicalGivenName(b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the nickname table', () => {
  const entries = Object.entries(NICKNAMES);

  it('covers at least 150 common given names', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
  });

  it.each(entries)('%s is written as normalizeName writes it, with no formal name among its nicknames', (formal, nicknames) => {
    for (const name of [formal, ...nicknames]) expect(normalizeName(name)).toBe(name);
    for (const nickname of nicknames) {
      expect(NICKNAMES[nickname], `${nickname} is itself a formal name`).toBeUndefined();
      expect(givenNamesMayMatch(nickname, formal)).toBe(true);
    }
    expect(new Set(nicknames).size).toBe(nicknames.length);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['(555) 123-4567', '5551234567'],
    ['+1 555 123 4567', '5551234567'],
    ['1-555-123-4567', '5551234567'],
    ['555.123.4567 x89', '5551234567'],
    ['555-123-4567 ext. 12', '5551234567'],
    ['555-1234', '5551234'],
    ['+44 20 7946 0958', '442079460958'],
    ['123456', ''],
    ['n/a', ''],
    ['', ''],
  ])('%j → %j', (phone, digits) => {
    expect(normalizePhone(phone)).toBe(digits);
  });
});

describe('normalizeEmail', () => {
  it.each([
    [' John.Smith@Example.COM ', 'john.smith@example.com'],
    ['jane@example.org', 'jane@example.org'],
    ['', ''],
  ])('%j → %j', (email, normalized) => {
    expect(normalizeEmail(email)).toBe(normalized);
  });
});

describe('normalizePostalCode', () => {
  it.each([
    ['02139', '02139'],
    ['02139-4307', '02139'],
    ['021394307', '02139'],
    [' 02139 ', '02139'],
    ['k1a 0b1', 'K1A0B1'],
    ['SW1A 1AA', 'SW1A1AA'],
    ['', ''],
  ])('%j → %j', (code, normalized) => {
    expect(normalizePostalCode(code)).toBe(normalized);
  });
});

describe('normalizeAddressLine', () => {
  it.each([
    ['123 Main Street, Apt. 4', '123 MAIN ST 4'],
    ['123 main st #4', '123 MAIN ST 4'],
    ['1 North First Avenue', '1 N 1ST AVE'],
    ['1 N. 1st Ave.', '1 N 1ST AVE'],
    ['45 Rue de l’Église', '45 RUE DE L EGLISE'],
    ['', ''],
  ])('%j → %j', (line, normalized) => {
    expect(normalizeAddressLine(line)).toBe(normalized);
  });
});

describe('normalizeSuffix', () => {
  it.each([
    ['Jr.', 'JR'], ['junior', 'JR'], ['Sr', 'SR'], ['II', 'II'], ['2nd', 'II'], ['III', 'III'], ['3rd', 'III'],
    ['Sr., MD', 'SR'], ['MD', ''], ['PhD', ''], ['', ''],
  ])('%j → %j', (suffix, normalized) => {
    expect(normalizeSuffix(suffix)).toBe(normalized);
  });
});

describe('every normaliser', () => {
  it.each([
    ['normalizeName', normalizeName],
    ['normalizePhone', normalizePhone],
    ['normalizeEmail', normalizeEmail],
    ['normalizePostalCode', normalizePostalCode],
    ['normalizeAddressLine', normalizeAddressLine],
    ['normalizeSuffix', normalizeSuffix],
  ])('%s is idempotent, so a stored key and a searched key agree', (_name, normalize) => {
    fc.assert(fc.property(fc.oneof(text, fc.stringMatching(/^[0-9 ()+.-]{0,16}$/)), (s) => {
      expect(normalize(normalize(s))).toBe(normalize(s));
    }));
  });
});
