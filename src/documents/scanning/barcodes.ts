import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import bwipjs from 'bwip-js';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/** A page as pixels: RGBA, 4 bytes a pixel, row by row. */
export interface PagePixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * A QR code as a PNG, black on white with a quiet zone of white around it (a scanner's reader needs
 * the margin to find the symbol).
 */
export function drawQrCode(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'qrcode', text, scale: 6, paddingwidth: 24, paddingheight: 24, backgroundcolor: 'FFFFFF' });
}

let ready: Promise<unknown> | undefined;

/**
 * zxing-wasm would fetch its WebAssembly from a CDN, which fails offline (and at a hospital): it is
 * loaded from our own node_modules instead, once.
 */
function loadReader(): Promise<unknown> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })();
  return ready;
}

/** The text of every QR code found on a page image (none, usually, for a page of a document). */
export async function readQrCodes(page: PagePixels): Promise<string[]> {
  await loadReader();
  // The reader takes anything shaped like ImageData; Node has no ImageData class.
  const image = { data: page.data, width: page.width, height: page.height, colorSpace: 'srgb' } as ImageData;
  const found = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return found.filter((b) => b.isValid).map((b) => b.text);
}
