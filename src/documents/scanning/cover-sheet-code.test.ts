import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCoverSheetCode, encodeCoverSheetCode } from './cover-sheet-code.js';

describe('cover-sheet barcode payload', () => {
  it('reads back what it wrote, with and without a visit', () => {
    const withVisit = encodeCoverSheetCode({ mrn: 'M000000017', visitNumber: 'V1042', typeCode: '18842-5' });
    expect(withVisit).toMatch(/^CHARTROOM-CS1\|M000000017\|V1042\|18842-5\|[0-9A-F]{8}$/);
    expect(decodeCoverSheetCode(withVisit)).toEqual({ kind: 'cover-sheet', code: { mrn: 'M000000017', visitNumber: 'V1042', typeCode: '18842-5' } });
    expect(decodeCoverSheetCode(encodeCoverSheetCode({ mrn: 'M000000017', visitNumber: null, typeCode: '59284-0' })))
      .toEqual({ kind: 'cover-sheet', code: { mrn: 'M000000017', visitNumber: null, typeCode: '59284-0' } });
  });

  it('takes a barcode that is not ours for an ordinary page', () => {
    expect(decodeCoverSheetCode('https://example.org/leaflet')).toEqual({ kind: 'not-a-cover-sheet' });
    expect(decodeCoverSheetCode('M000000017')).toEqual({ kind: 'not-a-cover-sheet' });
  });

  it('calls an altered or unknown-version sheet damaged', () => {
    const good = encodeCoverSheetCode({ mrn: 'M000000017', visitNumber: 'V1042', typeCode: '18842-5' });
    expect(decodeCoverSheetCode(good.replace('M000000017', 'M000000025'))).toEqual({ kind: 'damaged' });
    expect(decodeCoverSheetCode(good.replace('CS1', 'CS2'))).toEqual({ kind: 'damaged' });
    expect(decodeCoverSheetCode(good.slice(0, -1))).toEqual({ kind: 'damaged' });
    expect(decodeCoverSheetCode(`${good}|extra`)).toEqual({ kind: 'damaged' });
  });

  it('refuses to write characters that would break the payload', () => {
    expect(() => encodeCoverSheetCode({ mrn: 'M1|2', visitNumber: null, typeCode: '18842-5' })).toThrow();
  });

  it('round-trips any fields it accepts, and any one changed character is caught', () => {
    const field = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
    fc.assert(fc.property(field, fc.option(field, { nil: null }), field, fc.nat(), (mrn, visitNumber, typeCode, at) => {
      const text = encodeCoverSheetCode({ mrn, visitNumber, typeCode });
      expect(decodeCoverSheetCode(text)).toEqual({ kind: 'cover-sheet', code: { mrn, visitNumber, typeCode } });
      const i = 13 + (at % (text.length - 13));
      const changed = text.slice(0, i) + (text[i] === 'X' ? 'Y' : 'X') + text.slice(i + 1);
      expect(decodeCoverSheetCode(changed).kind).not.toBe('cover-sheet');
    }));
  });
});
