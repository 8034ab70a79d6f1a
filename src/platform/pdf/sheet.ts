import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const PAGE = { width: 612, height: 792, margin: 48 }; // US Letter, points

/** Writes lines down a page, starting a new page when one fills; text the font cannot show becomes "?". */
export class Sheet {
  private page!: PDFPage;
  private y = 0;
  private readonly charset: Set<number>;
  /** Word widths, measured once (letters repeat their words). */
  private readonly widths = new Map<string, number>();
  constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly bold: PDFFont, private readonly header: string) {
    this.charset = new Set(font.getCharacterSet());
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    this.page.drawText(this.printable(this.header), { x: PAGE.margin, y: PAGE.height - 28, size: 8, font: this.font, color: rgb(0.3, 0.3, 0.3) });
  }
  printable(text: string): string {
    return [...text.normalize('NFC')].map((c) => (this.charset.has(c.codePointAt(0)!) ? c : '?')).join('');
  }
  private room(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }
  title(text: string): void {
    this.room(30);
    this.page.drawText(this.printable(text), { x: PAGE.margin, y: this.y - 18, size: 18, font: this.bold });
    this.y -= 30;
  }
  section(text: string): void {
    this.room(34);
    this.y -= 8;
    this.page.drawText(this.printable(text.toUpperCase()), { x: PAGE.margin, y: this.y - 11, size: 10, font: this.bold, color: rgb(0.1, 0.2, 0.45) });
    this.page.drawLine({ start: { x: PAGE.margin, y: this.y - 14 }, end: { x: PAGE.width - PAGE.margin, y: this.y - 14 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 20;
  }
  /** Label and value pairs, two to a line. */
  fields(pairs: [string, string | null | undefined][]): void {
    const shown = pairs.filter(([, v]) => v !== undefined);
    const column = (PAGE.width - 2 * PAGE.margin) / 2;
    for (let i = 0; i < shown.length; i += 2) {
      this.room(14);
      shown.slice(i, i + 2).forEach(([label, value], j) => {
        const x = PAGE.margin + j * column;
        this.page.drawText(this.printable(`${label}:`), { x, y: this.y - 10, size: 9, font: this.bold });
        const labelWidth = this.bold.widthOfTextAtSize(`${label}: `, 9);
        this.page.drawText(this.fit(value || '-', column - labelWidth - 8, 9), { x: x + labelWidth, y: this.y - 10, size: 9, font: this.font });
      });
      this.y -= 14;
    }
  }
  line(text: string): void {
    this.room(13);
    this.page.drawText(this.fit(text, PAGE.width - 2 * PAGE.margin, 9), { x: PAGE.margin, y: this.y - 10, size: 9, font: this.font });
    this.y -= 13;
  }
  /** Running text, wrapped to the page width (words measured once each, so long letters stay fast). */
  paragraph(text: string, size = 10): void {
    const width = PAGE.width - 2 * PAGE.margin;
    const space = this.font.widthOfTextAtSize(' ', size);
    for (const para of text.split('\n')) {
      let line: string[] = [];
      let lineWidth = 0;
      const flush = () => {
        this.room(size + 4);
        this.page.drawText(line.join(' '), { x: PAGE.margin, y: this.y - size, size, font: this.font });
        this.y -= size + 4;
        line = [];
        lineWidth = 0;
      };
      for (const word of this.printable(para).split(/\s+/).filter(Boolean)) {
        const key = `${size}:${word}`;
        let w = this.widths.get(key);
        if (w === undefined) this.widths.set(key, (w = this.font.widthOfTextAtSize(word, size)));
        if (line.length && lineWidth + space + w > width) flush();
        lineWidth += (line.length ? space : 0) + w;
        line.push(word);
      }
      if (line.length) flush();
      this.y -= size / 2;
    }
  }
  /** A line with a value set flush right (a table of contents' page number); the text is cut to leave it room. */
  entry(text: string, right: string): void {
    this.room(13);
    const rightText = this.printable(right);
    const rightWidth = this.font.widthOfTextAtSize(rightText, 9);
    this.page.drawText(this.fit(text, PAGE.width - 2 * PAGE.margin - rightWidth - 12, 9), { x: PAGE.margin, y: this.y - 10, size: 9, font: this.font });
    this.page.drawText(rightText, { x: PAGE.width - PAGE.margin - rightWidth, y: this.y - 10, size: 9, font: this.font });
    this.y -= 13;
  }
  /** What follows starts on a new page (each copy of a cover sheet on a page of its own). */
  pageBreak(): void {
    this.newPage();
  }
  /** Vertical space, in points. */
  gap(points: number): void {
    this.y -= points;
  }
  /** A PNG (a barcode, a logo), `width` points wide, centred; on a new page if it does not fit. */
  async image(png: Uint8Array, width: number): Promise<void> {
    const image = await this.doc.embedPng(png);
    const height = (image.height / image.width) * width;
    this.room(height + 8);
    this.page.drawImage(image, { x: (PAGE.width - width) / 2, y: this.y - height, width, height });
    this.y -= height + 8;
  }
  /** A line of large bold text, for what must read from across the room (a cover sheet's document type). */
  banner(text: string, size = 22): void {
    this.room(size + 10);
    this.page.drawText(this.fit(text, PAGE.width - 2 * PAGE.margin, size, this.bold), { x: PAGE.margin, y: this.y - size, size, font: this.bold });
    this.y -= size + 10;
  }
  private fit(text: string, width: number, size: number, font: PDFFont = this.font): string {
    let t = this.printable(text);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 1 && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
    return `${t}...`;
  }

}

const stamp = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;

/**
 * A printed document of the department (face sheet, letter, certificate): a title, then whatever `build`
 * writes, each page headed with the organisation, the title, when it was printed, and a confidentiality line.
 */
export async function renderSheet(
  head: { title: string; organisation: string; now: Date },
  build: (sheet: Sheet) => void | Promise<void>,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(head.title);
  doc.setProducer('Chartroom');
  doc.setCreationDate(head.now);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const sheet = new Sheet(doc, font, bold, `${head.organisation} - ${head.title} - printed ${stamp(head.now)} - CONFIDENTIAL: protected health information`);
  sheet.title(head.organisation);
  sheet.line(head.title);
  await build(sheet);
  return doc.save();
}
