import type { FeeSchedule, Waiver } from './fee-schedule.js';
import { WAIVER_LABELS } from './fee-schedule.js';

/** What a request asks for, as far as its fee depends on it. */
export interface FeeQuestion {
  /** The patient or their personal representative asking for their own copy under the right of access. */
  patientOwnCopy: boolean;
  /** Paper, or an electronic copy (PDF, secure link, FHIR). */
  medium: 'paper' | 'electronic';
  /** The records are kept electronically (so the flat fee may apply to an electronic copy). */
  recordsKeptElectronically: boolean;
  pages: number;
  /** Actual postage, when mailed. */
  postageCents: number;
  /** An electronic copy on a CD or USB drive the patient asked for. */
  portableMedia?: boolean;
  /** A summary the patient agreed to instead of the record. */
  summary?: boolean;
  /** A third party asks for a certified copy (e.g. for court). */
  certified?: boolean;
  /** Why this request is charged nothing, if one of the schedule's waivers applies. */
  waiver?: Waiver;
}

export interface FeeLine {
  code: 'flat-electronic' | 'labour' | 'supplies' | 'portable-media' | 'summary' | 'base' | 'pages' | 'certification' | 'postage' | 'electronic-cap';
  label: string;
  quantity: number;
  unitCents: number;
  amountCents: number;
}

export interface FeeQuote {
  lines: FeeLine[];
  totalCents: number;
  /** The rule the quote follows, in words for the invoice and the clerk. */
  basis: string;
  waived?: { waiver: Waiver; reason: string };
}

const line = (code: FeeLine['code'], label: string, quantity: number, unitCents: number): FeeLine => ({ code, label, quantity, unitCents, amountCents: quantity * unitCents });

function pageCharges(schedule: FeeSchedule['thirdParty'], pages: number): FeeLine[] {
  const lines: FeeLine[] = [];
  let from = 1;
  for (const tier of schedule.perPageTiers) {
    const to = tier.upToPage ?? Infinity;
    const count = Math.max(0, Math.min(pages, to) - from + 1);
    if (count > 0) lines.push(line('pages', tier.upToPage === null ? `Pages ${from} and over` : `Pages ${from} to ${tier.upToPage}`, count, tier.centsPerPage));
    from = to + 1;
    if (from > pages) break;
  }
  return lines;
}

/**
 * The fee for a request under the schedule. A patient's own copy carries only labour, supplies,
 * portable media, an agreed summary and postage, or the flat electronic fee, and never a base (search
 * and retrieval) or certification fee; a third party pays the state schedule; a waived request pays
 * nothing.
 */
export function quoteFee(schedule: FeeSchedule, q: FeeQuestion): FeeQuote {
  if (!Number.isInteger(q.pages) || q.pages < 0) throw new RangeError('pages must be a whole number, zero or more');
  if (!Number.isInteger(q.postageCents) || q.postageCents < 0) throw new RangeError('postage must be whole cents, zero or more');
  const total = (lines: FeeLine[]) => lines.reduce((sum, l) => sum + l.amountCents, 0);
  if (q.waiver) {
    if (!schedule.waivers.includes(q.waiver)) throw new RangeError(`the fee schedule does not waive fees for ${q.waiver}`);
    return { lines: [], totalCents: 0, basis: 'No fee: waived by policy.', waived: { waiver: q.waiver, reason: WAIVER_LABELS[q.waiver] } };
  }
  const postage = q.postageCents > 0 ? [line('postage', 'Postage', 1, q.postageCents)] : [];

  if (q.patientOwnCopy) {
    const p = schedule.patientCopy;
    if (q.medium === 'electronic' && q.recordsKeptElectronically && p.flatElectronic && !q.summary) {
      const lines = [line('flat-electronic', 'Electronic copy of electronic records (flat fee)', 1, p.flatElectronicCents)];
      return { lines, totalCents: total(lines), basis: 'Right of access (45 CFR 164.524(c)(4)): flat fee for an electronic copy of electronic records; no search or retrieval fee.' };
    }
    const lines: FeeLine[] = [];
    if (q.summary) lines.push(line('summary', 'Preparing the agreed summary', 1, p.summaryCents));
    else {
      lines.push(line('labour', 'Labour of copying', q.pages, p.labourPerPageCents));
      if (q.medium === 'paper') lines.push(line('supplies', 'Paper and toner', q.pages, p.suppliesPerPageCents));
    }
    if (q.medium === 'electronic' && q.portableMedia) lines.push(line('portable-media', 'Portable media (CD or USB drive)', 1, p.portableMediaCents));
    lines.push(...postage);
    return { lines, totalCents: total(lines), basis: 'Right of access (45 CFR 164.524(c)(4)): labour of copying, supplies, media and postage only; no search or retrieval fee.' };
  }

  const t = schedule.thirdParty;
  const lines: FeeLine[] = [];
  if (t.baseCents > 0) lines.push(line('base', 'Base fee (search and retrieval)', 1, t.baseCents));
  lines.push(...pageCharges(t, q.pages));
  if (q.certified && t.certificationCents > 0) lines.push(line('certification', 'Certification of the copy', 1, t.certificationCents));
  if (q.medium === 'electronic' && t.electronicCapCents !== null) {
    const over = total(lines) - t.electronicCapCents;
    if (over > 0) lines.push({ code: 'electronic-cap', label: 'Reduced to the state cap for an electronic copy', quantity: 1, unitCents: -over, amountCents: -over });
  }
  lines.push(...postage);
  return { lines, totalCents: total(lines), basis: 'Third-party request: the state fee schedule.' };
}
