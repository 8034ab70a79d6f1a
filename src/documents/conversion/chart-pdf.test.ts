import { describe, expect, it } from 'vitest';
import { footerPlacement } from './chart-pdf.js';

const letter = { x: 0, y: 0, width: 612, height: 792 };

describe('the page-number footer', () => {
  it('sits centred at the foot of an upright page', () => {
    expect(footerPlacement(letter, 0, 200)).toEqual({ angle: 0, text: { x: 206, y: 12 }, band: { x: 202, y: 8, width: 208, height: 13 } });
  });

  it('follows the bottom edge the reader sees on a page turned by /Rotate', () => {
    // Turned 90° clockwise, the reader's bottom is the page's right edge, read upwards.
    expect(footerPlacement(letter, 90, 200).text).toEqual({ x: 600, y: 296 });
    expect(footerPlacement(letter, 180, 200).text).toEqual({ x: 406, y: 780 });
    expect(footerPlacement(letter, 270, 200).text).toEqual({ x: 12, y: 496 });
    expect(footerPlacement(letter, -90, 200).angle).toBe(270);
  });

  it('keeps to the crop box of a page whose box does not start at the origin', () => {
    expect(footerPlacement({ x: 10, y: 20, width: 612, height: 792 }, 0, 200).text).toEqual({ x: 216, y: 32 });
  });
});
