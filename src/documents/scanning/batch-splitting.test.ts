import { describe, expect, it } from 'vitest';
import { canChangeBatchDocument, splitBatch, type PageReading } from './batch-splitting.js';

const page: PageReading = { kind: 'not-a-cover-sheet' };
const sheet = (mrn: string): PageReading => ({ kind: 'cover-sheet', code: { mrn, visitNumber: null, typeCode: '18842-5' } });
const damaged: PageReading = { kind: 'damaged' };

describe('splitting a batch at its cover sheets', () => {
  it('makes one document of the pages behind each cover sheet, the sheets themselves left out', () => {
    expect(splitBatch([sheet('A'), page, page, sheet('B'), page])).toEqual([
      { coverSheetPage: 1, coverSheet: { mrn: 'A', visitNumber: null, typeCode: '18842-5' }, firstPage: 2, lastPage: 3 },
      { coverSheetPage: 4, coverSheet: { mrn: 'B', visitNumber: null, typeCode: '18842-5' }, firstPage: 5, lastPage: 5 },
    ]);
  });

  it('keeps pages before the first cover sheet, and behind a damaged one, apart', () => {
    expect(splitBatch([page, page, damaged, page, sheet('A'), page]).map((s) => [s.coverSheetPage, s.coverSheet === 'damaged' ? 'damaged' : s.coverSheet?.mrn ?? null, s.firstPage, s.lastPage]))
      .toEqual([[null, null, 1, 2], [3, 'damaged', 4, 4], [5, 'A', 6, 6]]);
  });

  it('makes nothing of a cover sheet with no pages behind it, or of an empty batch', () => {
    expect(splitBatch([sheet('A'), sheet('B'), page, sheet('C')]).map((s) => s.coverSheetPage)).toEqual([2]);
    expect(splitBatch([])).toEqual([]);
  });

  it('lets waiting pages be indexed once, and nothing else change', () => {
    expect(canChangeBatchDocument('awaiting-indexing', 'indexed')).toBe(true);
    expect(canChangeBatchDocument('indexed', 'indexed')).toBe(false);
    expect(canChangeBatchDocument('filed', 'indexed')).toBe(false);
  });
});
