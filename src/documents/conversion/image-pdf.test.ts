import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { multiPageTiff, sampleImage } from '../../../test/support/documents.js';
import { imageToPdf, isBilevel, packBits, pageSizeFor } from './image-pdf.js';

const pageSizes = async (bytes: Uint8Array) => (await PDFDocument.load(bytes)).getPages().map((p) => p.getSize()).map(({ width, height }) => [Math.round(width), Math.round(height)]);

describe('images to PDF', () => {
  it('turns every page of a TIFF into a page of the PDF', async () => {
    expect(await pageSizes(await imageToPdf(await multiPageTiff(4), 'image/tiff'))).toHaveLength(4);
  });

  it('turns a JPEG and a PNG into one page each, fitted to Letter when the resolution is unknown', async () => {
    for (const format of ['jpeg', 'png'] as const) {
      const image = await sharp(await sampleImage(format, 400, 200)).withMetadata({ density: 1 })[format]().toBuffer();
      // Wider than tall: a landscape Letter page.
      expect(await pageSizes(await imageToPdf(image, `image/${format}`))).toEqual([[792, 612]]);
    }
  });

  it("keeps a scan's physical size from its resolution", async () => {
    const scan = await sharp(await sampleImage('png', 850, 1100)).withMetadata({ density: 100 }).tiff().toBuffer();
    expect(await pageSizes(await imageToPdf(scan, 'image/tiff'))).toEqual([[612, 792]]);
  });

  it('turns a JPEG taken sideways (EXIF orientation) upright', async () => {
    const sideways = await sharp(await sampleImage('jpeg', 300, 100)).withMetadata({ orientation: 6, density: 100 }).jpeg().toBuffer();
    expect(await pageSizes(await imageToPdf(sideways, 'image/jpeg'))).toEqual([[72, 216]]);
  });

  it('centres an image of unknown resolution on the page, keeping its proportions', () => {
    expect(pageSizeFor(1000, 1000, undefined)).toEqual({ page: [612, 792], image: { x: 0, y: 90, width: 612, height: 612 } });
    expect(pageSizeFor(200, 100, 200)).toEqual({ page: [72, 36], image: { x: 0, y: 0, width: 72, height: 36 } });
  });
});

describe('black-and-white scans', () => {
  it('packs a bilevel page to one bit a pixel, white as 1, each row to a whole byte', () => {
    expect(isBilevel(Uint8Array.from([0, 255, 255, 0]))).toBe(true);
    expect(isBilevel(Uint8Array.from([0, 128]))).toBe(false);
    // Two rows of 10 pixels: 2 bytes a row.
    const row = [255, 0, 255, 0, 255, 0, 255, 0, 255, 255];
    expect([...packBits(Uint8Array.from([...row, ...row.map((v) => 255 - v)]), 10, 2)]).toEqual([0b10101010, 0b11000000, 0b01010101, 0b00000000]);
  });

  it('embeds a black-and-white TIFF page as a one-bit image, far smaller than its pixels', async () => {
    const pixels = new Uint8Array(1700 * 2200).fill(255);
    pixels.fill(0, 1700 * 300, 1700 * 340); // a black band across the page
    const page = await sharp(pixels, { raw: { width: 1700, height: 2200, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'lzw', xres: 200 / 25.4, yres: 200 / 25.4 }).toBuffer();
    expect((await sharp(page).metadata()).channels).toBe(1);
    const pdf = await imageToPdf(page, 'image/tiff');
    expect(await pageSizes(pdf)).toEqual([[612, 792]]);
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/BitsPerComponent 1/);
    expect(pdf.length).toBeLessThan(20_000);
  });
});
