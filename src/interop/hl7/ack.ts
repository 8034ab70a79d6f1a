import type { Er7Reader, ErrorLocation } from './er7.js';

/** HL7 table 0008: the acknowledgment codes of original mode. */
export const ACK_CODES = ['AA', 'AE', 'AR'] as const;
export type AckCode = (typeof ACK_CODES)[number];

export interface AckError {
  condition: string;
  text: string;
  location?: ErrorLocation;
}

/** The header facts an ACK echoes; a message too broken to read gets an ACK with blanks. */
export interface AckContext {
  reader?: Er7Reader;
  controlId: string;
  now: Date;
}

const hl7Time = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Escapes our own text for ER7 with the standard delimiters. */
function escapeText(s: string): string {
  return s.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\').replace(/~/g, '\\R\\').replace(/[\r\n]+/g, ' ');
}

/**
 * The original-mode ACK: MSH with sender and receiver swapped, MSA with the code and the sender's
 * control id, and on AE/AR an ERR naming where and why. ERR-2 (location), ERR-3 (table 0357 code)
 * and ERR-4 (severity) are the 2.5+ fields; before 2.5 ERR-1 carries location and code.
 */
export function buildAck(code: AckCode, ctx: AckContext, error?: AckError): string {
  const r = ctx.reader;
  const msh = r?.first('MSH');
  const raw = (n: number) => (msh?.fields[n] ?? '');
  const version = r?.value(msh, 12) || '2.5';
  const trigger = r?.value(msh, 9, 2) ?? '';
  const segments = [
    ['MSH', '^~\\&', raw(5), raw(6), raw(3), raw(4), hl7Time(ctx.now), '', `ACK^${trigger}^ACK`, ctx.controlId, r?.value(msh, 11) || 'P', raw(12) || version].join('|'),
    ['MSA', code, raw(10)].join('|'),
  ];
  if (error && code !== 'AA') {
    const loc = error.location;
    const erl = loc ? [loc.segment, loc.sequence, loc.field ?? '', '', loc.component ?? ''].join('^').replace(/\^+$/, '') : '';
    const cwe = `${error.condition}^${escapeText(error.text)}^HL70357`;
    const before25 = /^2\.[34](\.|$)/.test(version);
    const err1 = before25 ? `${loc ? [loc.segment, loc.sequence, loc.field ?? ''].join('^') : ''}^${error.condition}&${escapeText(error.text)}&HL70357` : '';
    segments.push(['ERR', err1, erl, cwe, 'E'].join('|'));
  }
  return segments.join('\r');
}
