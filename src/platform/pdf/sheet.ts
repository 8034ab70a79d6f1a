import { deflateSync } from 'node:zlib';
import { degrees, drawLinesOfText, PDFArray, PDFContentStream, PDFDocument, PDFHexString, PDFRef, rgb, StandardFonts, type Color, type PDFFont, type PDFName, type PDFPage } from 'pdf-lib';

export const PAGE = { width: 612, height: 792, margin: 48 }; // US Letter, points

// Every sheet embeds the same two standard fonts, so what they show, their codes and their widths are
// read once per font name here rather than per sheet, per line or per character.
const STANDARD_FONT_NAMES = new Set<string>(Object.values(StandardFonts));
const isStandardFont = (font: PDFFont) => STANDARD_FONT_NAMES.has(font.name);

const standardCharsets = new Map<string, Set<number>>();
function characterSetOf(font: PDFFont): Set<number> {
  if (!isStandardFont(font)) return new Set(font.getCharacterSet());
  let charset = standardCharsets.get(font.name);
  if (!charset) standardCharsets.set(font.name, (charset = new Set(font.getCharacterSet())));
  return charset;
}

const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const showsPlainAscii = (charset: Set<number>) => {
  for (let c = 0x20; c <= 0x7e; c++) if (!charset.has(c)) return false;
  return true;
};

/** The text as a PDF string in the font's codes: what pdf-lib's encodeText writes, one lookup a character. */
const standardCodes = new Map<string, Map<string, string>>();
function encodeText(font: PDFFont, text: string): PDFHexString {
  let codes = standardCodes.get(font.name);
  if (!codes) {
    if (!isStandardFont(font)) return font.encodeText(text);
    const characters = font.getCharacterSet().map((c) => String.fromCodePoint(c));
    standardCodes.set(font.name, (codes = new Map(characters.map((c) => [c, font.encodeText(c).asString()]))));
  }
  let hex = '';
  for (const c of text) {
    const code = codes.get(c);
    if (code === undefined) return font.encodeText(text);
    hex += code;
  }
  return PDFHexString.of(hex);
}

/**
 * A character's width plus its kerning to the next, in font units (1/1000 em). Standard fonts'
 * widths and kerning are whole units, so sums of these are exact: the very total pdf-lib's
 * widthOfTextAtSize adds up along a whole string.
 */
const pairUnits = new Map<string, number>();
function unitsOfPair(font: PDFFont, left: string, right: string): number {
  const key = `${font.name}:${left}${right}`;
  let units = pairUnits.get(key);
  if (units === undefined) pairUnits.set(key, (units = font.widthOfTextAtSize(left + right, 1000) - font.widthOfTextAtSize(right, 1000)));
  return units;
}

/**
 * The longest start of `t` (at least one character) that fits `width` with "..." after it: what
 * cutting one character at a time and measuring again finds, each length summed from running totals
 * instead of measuring the whole string again (a long title no longer costs its length squared).
 */
function cutToFit(font: PDFFont, t: string, width: number, size: number): string {
  const dots = font.widthOfTextAtSize('...', 1000);
  const upTo = [0]; // upTo[k]: the first k characters, each with its kerning to the next
  for (let i = 0; i + 1 < t.length; i++) upTo.push(upTo[i] + unitsOfPair(font, t[i], t[i + 1]));
  for (let k = t.length; k > 1; k--) {
    // Units times size / 1000, as widthOfTextAtSize computes it: the same number, the same decision.
    if ((upTo[k - 1] + unitsOfPair(font, t[k - 1], '.') + dots) * (size / 1000) <= width) return `${t.slice(0, k)}...`;
  }
  return `${t.slice(0, 1)}...`;
}

/** pdf-lib's drawText defaults, which sheets leave as they are. */
const BLACK = rgb(0, 0, 0);
const UPRIGHT = degrees(0);
const LINE_HEIGHT = 24;

/** Writes lines down a page, starting a new page when one fills; text the font cannot show becomes "?". */
export class Sheet {
  private page!: PDFPage;
  private y = 0;
  private readonly charset: Set<number>;
  private readonly plainAsciiShows: boolean;
  /** The current page's name for each font (drawText's `font` option would add two font resources per line). */
  private readonly fontKeys = new Map<PDFFont, PDFName>();
  /** Word widths, measured once (letters repeat their words). */
  private readonly widths = new Map<string, number>();
  constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly bold: PDFFont, private readonly header: string) {
    this.charset = characterSetOf(font);
    this.plainAsciiShows = showsPlainAscii(this.charset);
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.fontKeys.clear();
    this.y = PAGE.height - PAGE.margin;
    this.draw(this.printable(this.header), { x: PAGE.margin, y: PAGE.height - 28, size: 8, font: this.font, color: rgb(0.3, 0.3, 0.3) });
  }
  /**
   * One line of printable text: what pdf-lib's drawText writes for it, without drawText's per-call
   * checks, font resource and character-by-character encoding.
   */
  private draw(text: string, { x, y, size, font, color = BLACK }: { x: number; y: number; size: number; font: PDFFont; color?: Color }): void {
    let key = this.fontKeys.get(font);
    if (!key) this.fontKeys.set(font, (key = this.page.node.newFontDictionary(font.name, font.ref)));
    this.page.pushOperators(...drawLinesOfText([encodeText(font, text)], { color, font: key, size, rotate: UPRIGHT, xSkew: UPRIGHT, ySkew: UPRIGHT, x, y, lineHeight: LINE_HEIGHT }));
  }
  printable(text: string): string {
    // Plain ASCII is already NFC and, in the standard fonts, all showable: most of what is printed.
    if (this.plainAsciiShows && PLAIN_ASCII.test(text)) return text;
    return [...text.normalize('NFC')].map((c) => (this.charset.has(c.codePointAt(0)!) ? c : '?')).join('');
  }
  private room(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }
  title(text: string): void {
    this.room(30);
    this.draw(this.printable(text), { x: PAGE.margin, y: this.y - 18, size: 18, font: this.bold });
    this.y -= 30;
  }
  section(text: string): void {
    this.room(34);
    this.y -= 8;
    this.draw(this.printable(text.toUpperCase()), { x: PAGE.margin, y: this.y - 11, size: 10, font: this.bold, color: rgb(0.1, 0.2, 0.45) });
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
        this.draw(this.printable(`${label}:`), { x, y: this.y - 10, size: 9, font: this.bold });
        const labelWidth = this.bold.widthOfTextAtSize(`${label}: `, 9);
        this.draw(this.fit(value || '-', column - labelWidth - 8, 9), { x: x + labelWidth, y: this.y - 10, size: 9, font: this.font });
      });
      this.y -= 14;
    }
  }
  line(text: string): void {
    this.room(13);
    this.draw(this.fit(text, PAGE.width - 2 * PAGE.margin, 9), { x: PAGE.margin, y: this.y - 10, size: 9, font: this.font });
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
        this.draw(line.join(' '), { x: PAGE.margin, y: this.y - size, size, font: this.font });
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
    this.draw(this.fit(text, PAGE.width - 2 * PAGE.margin - rightWidth - 12, 9), { x: PAGE.margin, y: this.y - 10, size: 9, font: this.font });
    this.draw(rightText, { x: PAGE.width - PAGE.margin - rightWidth, y: this.y - 10, size: 9, font: this.font });
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
    this.draw(this.fit(text, PAGE.width - 2 * PAGE.margin, size, this.bold), { x: PAGE.margin, y: this.y - size, size, font: this.bold });
    this.y -= size + 10;
  }
  private fit(text: string, width: number, size: number, font: PDFFont = this.font): string {
    let t = this.printable(text);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    if (isStandardFont(font)) return cutToFit(font, t, width, size);
    while (t.length > 1 && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
    return `${t}...`;
  }
}

/**
 * Deflates each page's content with Node's zlib now, instead of pdf-lib's pako (JavaScript) at save:
 * the same content, several times faster to compress.
 */
function compressPageContents(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    for (const ref of contents instanceof PDFArray ? contents.asArray() : []) {
      const stream = doc.context.lookup(ref);
      if (ref instanceof PDFRef && stream instanceof PDFContentStream) {
        doc.context.assign(ref, doc.context.stream(deflateSync(stream.getUnencodedContents()), { Filter: 'FlateDecode' }));
      }
    }
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
  compressPageContents(doc);
  // A sheet is a handful of objects: a plain cross-reference table writes faster than object streams.
  return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}
