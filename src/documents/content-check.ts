import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { DomainError, invalid, type FieldError } from '../platform/errors.js';

/** The kinds of file a document may be. */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/tiff', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

const EXTENSIONS: Record<DocumentContentType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/tiff': ['tif', 'tiff'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/** Names browsers and scanners also send for the same kinds. */
const CLAIM_ALIASES: Record<string, DocumentContentType> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/tif': 'image/tiff', 'application/x-pdf': 'application/pdf' };
/** Claims that say nothing about the kind: the bytes and the name decide. */
const UNSPECIFIC_CLAIMS = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Limits against decompression bombs: a file small on the wire that unpacks to something absurd. */
export const CONTENT_LIMITS = {
  /** A 600 dpi 11x17 in. page is 67 million pixels; more than this per page is not a scan. */
  maxPixelsPerPage: 150_000_000,
  maxPages: 5_000,
} as const;

/** The kind a file's first bytes say it is (its magic number), or undefined. */
export function sniffContentType(bytes: Uint8Array): DocumentContentType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff'; // II*. / MM.* (not BigTIFF)
  return undefined;
}

/**
 * A file name as it will be stored and offered back on download: a base name only. A name carrying a
 * folder (`../x.pdf`, `C:\scans\x.pdf`) is refused rather than cut down, so nobody is surprised by
 * what was kept.
 */
export function checkFileName(name: string, field = 'fileName'): FieldError[] {
  const problems: string[] = [];
  if (!name.trim()) problems.push('Give the file a name.');
  if (name.length > 200) problems.push('At most 200 characters.');
  if (/[/\\]/.test(name)) problems.push('A file name only, without a folder.');
  else if (name.startsWith('.')) problems.push('A file name may not start with a dot.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) problems.push('No control characters.');
  return problems.map((message) => ({ field, message }));
}

export const extensionOf = (name: string): string => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/** What the checks learned about acceptable content. */
export interface ContentFacts {
  contentType: DocumentContentType;
  pageCount: number;
}

export interface ContentClaim {
  fileName: string;
  /** The content type the sender gave (multipart part or attachment), if any. */
  contentType?: string;
}

const refused = (code: string, detail: string, field = 'file') => invalid(code, detail, [{ field, message: detail }]);

/**
 * Checks a file before anything is stored: its name, that its bytes are what its name and claimed
 * type say (magic number), that a PDF opens without a password, and that nothing unpacks to an
 * absurd size. Throws a DomainError naming the problem; answers the facts to record.
 */
export async function inspectDocumentContent(bytes: Buffer, claim: ContentClaim, maxBytes: number): Promise<ContentFacts> {
  const nameProblems = checkFileName(claim.fileName);
  if (nameProblems.length) throw invalid('document.file-name', 'The file name is not acceptable.', nameProblems);
  if (bytes.length > maxBytes) {
    throw new DomainError('too-large', 'document.too-large', `The file is larger than the ${maxBytes} bytes a document may be.`, [{ field: 'file', message: 'Too large.' }]);
  }
  if (bytes.length === 0) throw refused('document.empty', 'The file is empty.');
  const detected = sniffContentType(bytes);
  if (!detected) throw refused('document.unsupported-type', 'The file is not a PDF, TIFF, JPEG or PNG.');
  const claimed = claim.contentType?.split(';')[0].trim().toLowerCase() ?? '';
  const claimedType = CLAIM_ALIASES[claimed] ?? claimed;
  if (!UNSPECIFIC_CLAIMS.has(claimedType) && claimedType !== detected) {
    throw refused('document.type-mismatch', `The file's content is ${detected}, not the ${claimedType} it was sent as.`, 'contentType');
  }
  if (!EXTENSIONS[detected].includes(extensionOf(claim.fileName))) {
    throw refused('document.type-mismatch', `The file's content is ${detected}; its name should end in .${EXTENSIONS[detected].join(' or .')}.`, 'fileName');
  }
  const pageCount = detected === 'application/pdf' ? await countPdfPages(bytes) : await checkImagePages(bytes);
  return { contentType: detected, pageCount };
}

async function countPdfPages(bytes: Buffer): Promise<number> {
  let pdf: PDFDocument;
  try {
    // Loaded even when encrypted, so encryption is told apart from damage (pdf-lib's own error is not an instanceof-able class).
    pdf = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false, ignoreEncryption: true });
  } catch {
    throw refused('document.corrupt', 'The PDF could not be read: it is damaged or not a complete PDF.');
  }
  if (pdf.isEncrypted) {
    throw refused('document.pdf-encrypted', 'The PDF is password-protected or encrypted. Save it without a password and upload it again.');
  }
  let pages: number;
  try {
    pages = pdf.getPageCount();
  } catch {
    throw refused('document.corrupt', 'The PDF could not be read: its page tree is damaged.');
  }
  if (pages === 0) throw refused('document.corrupt', 'The PDF has no pages.');
  if (pages > CONTENT_LIMITS.maxPages) throw refused('document.too-many-pages', `The PDF has more than ${CONTENT_LIMITS.maxPages} pages.`);
  return pages;
}

/** Reads the image headers page by page (no decoding) and refuses absurd dimensions or page counts. */
async function checkImagePages(bytes: Buffer): Promise<number> {
  const headerOf = async (page: number) => {
    try {
      return await sharp(bytes, { page, limitInputPixels: false }).metadata();
    } catch {
      throw refused('document.corrupt', 'The image could not be read: it is damaged or incomplete.');
    }
  };
  const first = await headerOf(0);
  const pages = first.pages ?? 1;
  if (pages > CONTENT_LIMITS.maxPages) throw refused('document.too-many-pages', `The image has more than ${CONTENT_LIMITS.maxPages} pages.`);
  for (let page = 0; page < pages; page++) {
    const { width, height } = page === 0 ? first : await headerOf(page);
    if (!width || !height) throw refused('document.corrupt', 'The image could not be read: it has no dimensions.');
    if (width * height > CONTENT_LIMITS.maxPixelsPerPage) {
      throw refused('document.image-too-large', `The image declares ${width} x ${height} pixels, more than a scanned page can be.`);
    }
  }
  return pages;
}
