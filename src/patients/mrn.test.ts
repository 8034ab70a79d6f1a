import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMrn, isValidMrn, looksLikeMrn, luhnCheckDigit } from './mrn.js';

describe('medical record numbers', () => {
  it.each([
    ['7992739871', 3],
    ['0000000', 0],
    ['1234567', 4],
  ])('computes the Luhn check digit of %s as %i', (digits, check) => {
    expect(luhnCheckDigit(digits)).toBe(check);
  });

  it('formats the prefix, eight digits and the check digit', () => {
    expect(formatMrn('M', 42)).toBe(`M00000042${luhnCheckDigit('00000042')}`);
    expect(isValidMrn('M', formatMrn('M', 42))).toBe(true);
    expect(isValidMrn('M', formatMrn('M', 42).toLowerCase())).toBe(true);
  });

  it('catches any single mistyped digit and any swap of two different neighbouring digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.nat(8), fc.integer({ min: 1, max: 9 }), (seq, pos, delta) => {
        const mrn = formatMrn('M', seq);
        const digits = mrn.slice(1).split('');
        const typo = [...digits];
        typo[pos] = String((Number(typo[pos]) + delta) % 10);
        expect(isValidMrn('M', 'M' + typo.join(''))).toBe(false);
        if (pos < 8 && digits[pos] !== digits[pos + 1] && !(['0', '9'].includes(digits[pos]) && ['0', '9'].includes(digits[pos + 1]))) {
          const swapped = [...digits];
          [swapped[pos], swapped[pos + 1]] = [swapped[pos + 1], swapped[pos]];
          expect(isValidMrn('M', 'M' + swapped.join(''))).toBe(false);
        }
      }),
    );
  });

  it('refuses another prefix, letters in the number, and a bare check digit', () => {
    expect(isValidMrn('M', formatMrn('X', 42))).toBe(false);
    expect(isValidMrn('M', 'M0000A0421')).toBe(false);
    expect(isValidMrn('M', 'M5')).toBe(false);
    expect(looksLikeMrn('M', 'M000000421')).toBe(true);
    expect(looksLikeMrn('M', 'Smith')).toBe(false);
  });
});
