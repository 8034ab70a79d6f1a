import { crc32 } from 'node:zlib';

/**
 * What a cover sheet's barcode says: which patient, which visit (if any) and what kind of document the
 * pages behind it are. Self-describing and versioned (`CHARTROOM-CS1`), with a check over the rest,
 * so a QR code that happens to be on a scanned page (a lab label, a pharmacy leaflet) is never taken
 * for a cover sheet, and a damaged one is told apart from none at all.
 *
 *   CHARTROOM-CS1|<MRN>|<visit number or empty>|<LOINC document code>|<CRC-32 of what precedes, 8 hex>
 */
export const COVER_SHEET_PREFIX = 'CHARTROOM-CS';
export const COVER_SHEET_VERSION = '1';

export interface CoverSheetCode {
  mrn: string;
  visitNumber: string | null;
  /** LOINC document code. */
  typeCode: string;
}

export type CoverSheetReading =
  | { kind: 'cover-sheet'; code: CoverSheetCode }
  /** It says it is one of ours, but its version or check does not hold: a damaged or altered sheet. */
  | { kind: 'damaged' }
  | { kind: 'not-a-cover-sheet' };

const SEPARATOR = '|';
const checkOf = (body: string): string => crc32(Buffer.from(body, 'utf8')).toString(16).toUpperCase().padStart(8, '0');
const FIELD = /^[A-Za-z0-9._-]{1,40}$/;

/** The text a cover sheet's barcode carries. */
export function encodeCoverSheetCode(code: CoverSheetCode): string {
  for (const value of [code.mrn, code.typeCode, ...(code.visitNumber ? [code.visitNumber] : [])]) {
    if (!FIELD.test(value)) throw new Error('A cover-sheet field holds characters a barcode payload may not carry.');
  }
  const body = [`${COVER_SHEET_PREFIX}${COVER_SHEET_VERSION}`, code.mrn, code.visitNumber ?? '', code.typeCode].join(SEPARATOR);
  return `${body}${SEPARATOR}${checkOf(body)}`;
}

/** What a barcode's text means: a cover sheet, a damaged cover sheet, or something else. */
export function decodeCoverSheetCode(text: string): CoverSheetReading {
  if (!text.startsWith(COVER_SHEET_PREFIX)) return { kind: 'not-a-cover-sheet' };
  const parts = text.split(SEPARATOR);
  if (parts.length !== 5 || parts[0] !== `${COVER_SHEET_PREFIX}${COVER_SHEET_VERSION}`) return { kind: 'damaged' };
  const [, mrn, visitNumber, typeCode, check] = parts;
  if (checkOf(parts.slice(0, 4).join(SEPARATOR)) !== check) return { kind: 'damaged' };
  if (!FIELD.test(mrn) || !FIELD.test(typeCode) || (visitNumber !== '' && !FIELD.test(visitNumber))) return { kind: 'damaged' };
  return { kind: 'cover-sheet', code: { mrn, visitNumber: visitNumber || null, typeCode } };
}
