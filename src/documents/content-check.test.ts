import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { checkFileName, CONTENT_LIMITS, inspectDocumentContent, sniffContentType } from './content-check.js';
import { contentDisposition } from './download-name.js';
import { encryptedPdf, multiPageTiff, pngDeclaring, sampleImage, samplePdf } from '../../test/support/documents.js';

const MiB = 1024 * 1024;

describe('checking a file before it is stored', () => {
  it('accepts a PDF, TIFF, JPEG and PNG whose bytes, name and type agree, and counts pages', async () => {
    expect(await inspectDocumentContent(await samplePdf(3), { fileName: 'discharge.pdf', contentType: 'application/pdf' }, MiB))
      .toEqual({ contentType: 'application/pdf', pageCount: 3 });
    expect(await inspectDocumentContent(await sampleImage('tiff'), { fileName: 'scan.TIF', contentType: 'image/tiff' }, MiB))
      .toEqual({ contentType: 'image/tiff', pageCount: 1 });
    expect(await inspectDocumentContent(await sampleImage('jpeg'), { fileName: 'card.jpg', contentType: 'image/jpg' }, MiB))
      .toEqual({ contentType: 'image/jpeg', pageCount: 1 });
    expect(await inspectDocumentContent(await sampleImage('png'), { fileName: 'photo.png', contentType: 'application/octet-stream' }, MiB))
      .toEqual({ contentType: 'image/png', pageCount: 1 });
  });

  it('counts the pages of a multi-page TIFF', async () => {
    const tiff = await multiPageTiff(3);
    expect(await inspectDocumentContent(tiff, { fileName: 'batch.tiff' }, MiB)).toEqual({ contentType: 'image/tiff', pageCount: 3 });
  });

  it('refuses bytes that are not what the name or the claimed type say', async () => {
    const png = await sampleImage('png');
    await expect(inspectDocumentContent(png, { fileName: 'report.pdf', contentType: 'application/pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.type-mismatch', fieldErrors: [{ field: 'contentType' }] });
    await expect(inspectDocumentContent(png, { fileName: 'report.pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.type-mismatch', fieldErrors: [{ field: 'fileName' }] });
    await expect(inspectDocumentContent(Buffer.from('MZ\x90\x00 a Windows program'), { fileName: 'invoice.pdf', contentType: 'application/pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.unsupported-type' });
    await expect(inspectDocumentContent(Buffer.from('<html><script>alert(1)</script>'), { fileName: 'page.png' }, MiB))
      .rejects.toMatchObject({ code: 'document.unsupported-type' });
  });

  it('refuses a corrupt, a truncated and a password-protected PDF', async () => {
    await expect(inspectDocumentContent(Buffer.from('%PDF-1.7\n this is not a PDF at all'), { fileName: 'a.pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.corrupt' });
    const whole = await samplePdf(2);
    await expect(inspectDocumentContent(whole.subarray(0, Math.floor(whole.length / 3)), { fileName: 'a.pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.corrupt' });
    await expect(inspectDocumentContent(await encryptedPdf(), { fileName: 'locked.pdf' }, MiB))
      .rejects.toMatchObject({ code: 'document.pdf-encrypted' });
  });

  it('refuses an image declaring absurd dimensions and a PDF with an absurd page count', async () => {
    await expect(inspectDocumentContent(await pngDeclaring(100_000, 100_000), { fileName: 'bomb.png' }, MiB))
      .rejects.toMatchObject({ code: 'document.image-too-large' });
    const pdf = await PDFDocument.create();
    for (let i = 0; i <= CONTENT_LIMITS.maxPages; i++) pdf.addPage([10, 10]);
    await expect(inspectDocumentContent(Buffer.from(await pdf.save()), { fileName: 'pages.pdf' }, 10 * MiB))
      .rejects.toMatchObject({ code: 'document.too-many-pages' });
  }, 30_000);

  it('refuses an oversize or empty file', async () => {
    const pdf = await samplePdf();
    await expect(inspectDocumentContent(pdf, { fileName: 'a.pdf' }, pdf.length - 1)).rejects.toMatchObject({ kind: 'too-large', code: 'document.too-large' });
    await expect(inspectDocumentContent(Buffer.alloc(0), { fileName: 'a.pdf' }, MiB)).rejects.toMatchObject({ code: 'document.empty' });
  });

  it.each(['../../etc/passwd.pdf', 'C:\\scans\\a.pdf', 'scans/a.pdf', '.hidden.pdf', '..', 'a\u0000.pdf', '', 'x'.repeat(201) + '.pdf'])(
    'refuses the file name %j', (name) => {
      expect(checkFileName(name).length).toBeGreaterThan(0);
    });

  it('names the kind from the first bytes only', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.4'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))).toBe('image/tiff');
    expect(sniffContentType(Buffer.from([0x4d, 0x4d, 0x00, 0x2b]))).toBeUndefined();
    expect(sniffContentType(Buffer.from(' %PDF-1.4'))).toBeUndefined();
  });
});

describe('the download name', () => {
  it('keeps a plain name and cannot be broken out of by quotes, semicolons or line breaks', () => {
    expect(contentDisposition('inline', 'discharge.pdf')).toBe(`inline; filename="discharge.pdf"; filename*=UTF-8''discharge.pdf`);
    const tricky = contentDisposition('attachment', 'a";\r\nx-evil: 1;.pdf');
    expect(tricky).not.toMatch(/[\r\n]/);
    expect(tricky.split('"').length).toBe(3);
    expect(contentDisposition('inline', 'Çelik résumé.pdf')).toContain(`filename*=UTF-8''%C3%87elik%20r%C3%A9sum%C3%A9.pdf`);
  });
});
