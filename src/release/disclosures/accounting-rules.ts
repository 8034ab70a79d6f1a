import { DISCLOSURE_KINDS, isDisclosureKind, isExemptFromAccounting } from './kinds.js';
import { addDays, daysBetween, yearsBefore, type IsoDate } from './deadlines.js';

/** 164.528(a)(1): an accounting covers up to the six years before the request. */
export const ACCOUNTING_YEARS = 6;
/** 164.528(c)(2): the first accounting in any 12 months is free. */
export const FREE_ACCOUNTING_MONTHS = 12;
/** 164.528(a)(2)(ii): an oral suspension lasts at most 30 days unless confirmed in writing. */
export const ORAL_SUSPENSION_MAX_DAYS = 30;

/** One entry of the disclosure log, as the accounting rules read it. */
export interface LoggedDisclosure extends DisclosureDetails {
  id: string;
  patientId: string;
  disclosedAt: string;
  recipientKey: string;
  purpose: string;
  kind: string;
  correctsId: string | null;
}

/** What a row shows of its first disclosure; the service may read these for the first of each row only. */
export interface DisclosureDetails {
  recipientName: string;
  recipientAddress: string | null;
  description: string;
}

export const SUSPENSION_FORMS = ['written', 'oral'] as const;
export type SuspensionForm = (typeof SUSPENSION_FORMS)[number];

export interface Suspension {
  agencyKey: string;
  patientId: string | null;
  form: SuspensionForm;
  fromDate: IsoDate;
  untilDate: IsoDate;
}

/** The earliest day an accounting received on `receivedOn` may cover. */
export const earliestPeriodStart = (receivedOn: IsoDate): IsoDate => yearsBefore(receivedOn, ACCOUNTING_YEARS);

/** Problems with a suspension's dates, keyed by field (164.528(a)(2)). */
export function checkSuspension(s: Pick<Suspension, 'form' | 'fromDate' | 'untilDate'>, today: IsoDate): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (s.untilDate < s.fromDate) problems.push({ field: 'untilDate', message: 'The suspension must end on or after the day it starts.' });
  else if (s.form === 'oral' && daysBetween(s.fromDate, s.untilDate) + 1 > ORAL_SUSPENSION_MAX_DAYS) {
    problems.push({ field: 'untilDate', message: `An oral suspension lasts at most ${ORAL_SUSPENSION_MAX_DAYS} days; ask the agency for a written statement to suspend for longer.` });
  }
  if (s.untilDate < today) problems.push({ field: 'untilDate', message: 'The suspension would already have ended; give a date today or later.' });
  return problems;
}

export const isSuspensionInForce = (s: Pick<Suspension, 'fromDate' | 'untilDate'>, on: IsoDate): boolean => s.fromDate <= on && on <= s.untilDate;

/**
 * Whether a suspension in force on `on` withholds this disclosure from the patient's accounting:
 * a disclosure to the agency that asked (for this patient, or for every patient), made before the
 * suspension ends. 164.528(a)(2)(i).
 */
export function isWithheldBySuspension(d: Pick<LoggedDisclosure, 'patientId' | 'recipientKey' | 'disclosedAt'>, suspensions: readonly Suspension[], on: IsoDate): boolean {
  return suspensions.some((s) =>
    isSuspensionInForce(s, on) && s.agencyKey === d.recipientKey && (s.patientId === null || s.patientId === d.patientId) && d.disclosedAt.slice(0, 10) <= s.untilDate);
}

/** Whether an accounting received on `receivedOn` is free: no other request of the patient's in the 12 months before (164.528(c)(2)). */
export function isFreeAccounting(receivedOn: IsoDate, earlierRequests: readonly IsoDate[]): boolean {
  const windowStart = yearsBefore(receivedOn, 1);
  return !earlierRequests.some((on) => on > windowStart && on <= receivedOn);
}

/** Repeats to one recipient for one purpose, summarised (164.528(b)(3)): the first in full, then how many, how often, and the last. */
export interface AccountingRow {
  recipientName: string;
  recipientAddress: string | null;
  purpose: string;
  kind: string;
  kindLabel: string;
  description: string;
  firstDisclosedAt: string;
  lastDisclosedAt: string;
  count: number;
  /** How often, for a summarised row ("about every 30 days"); null for a single disclosure. */
  frequency: string | null;
  disclosureIds: string[];
}

export interface Accounting {
  period: { from: IsoDate; to: IsoDate };
  rows: AccountingRow[];
  /** Accountable disclosures listed. */
  listed: number;
  /** Disclosures in the period left out as exempt (or corrected by a later entry). */
  leftOut: number;
  /** For staff only: disclosures withheld by an agency's suspension; the patient's letter never mentions them. */
  withheld: number;
}

export function frequencyOf(first: string, last: string, count: number): string | null {
  if (count < 2) return null;
  const days = daysBetween(first.slice(0, 10), last.slice(0, 10)) / (count - 1);
  if (days < 1.5) return 'about daily';
  const n = Math.round(days);
  if (n >= 6 && n <= 8) return 'about weekly';
  if (n >= 28 && n <= 31) return 'about monthly';
  return `about every ${n} days`;
}

/**
 * The accounting of disclosures in a period, as of a day: entries corrected by a later entry give
 * way to the correction; exempt kinds are left out; suspensions in force withhold disclosures to
 * their agency; repeats to one recipient for one purpose become one row. Rows oldest first.
 * `correctedIds` names every entry some later entry corrects (the correction may lie outside the period).
 */
export function computeAccounting(
  entries: readonly (Omit<LoggedDisclosure, keyof DisclosureDetails> & Partial<DisclosureDetails>)[],
  options: { period: { from: IsoDate; to: IsoDate }; asOf: IsoDate; suspensions: readonly Suspension[]; correctedIds: ReadonlySet<string> },
): Accounting {
  const { from, to } = options.period;
  const endExclusive = addDays(to, 1);
  const groups = new Map<string, (typeof entries)[number][]>();
  let leftOut = 0;
  let withheld = 0;
  const sorted = [...entries].sort((a, b) => (a.disclosedAt < b.disclosedAt ? -1 : a.disclosedAt > b.disclosedAt ? 1 : 0));
  for (const d of sorted) {
    if (d.disclosedAt < from || d.disclosedAt >= endExclusive) continue;
    if (options.correctedIds.has(d.id) || isExemptFromAccounting(d.kind)) {
      leftOut += 1;
      continue;
    }
    if (isWithheldBySuspension(d, options.suspensions, options.asOf)) {
      withheld += 1;
      continue;
    }
    const key = `${d.recipientKey}\u0000${d.purpose.trim().toLowerCase()}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const rows: AccountingRow[] = [...groups.values()].map((group) => {
    const first = group[0];
    const last = group[group.length - 1];
    return {
      recipientName: first.recipientName ?? '',
      recipientAddress: first.recipientAddress ?? null,
      purpose: first.purpose,
      kind: first.kind,
      kindLabel: isDisclosureKind(first.kind) ? DISCLOSURE_KINDS[first.kind].label : first.kind,
      description: first.description ?? '',
      firstDisclosedAt: first.disclosedAt,
      lastDisclosedAt: last.disclosedAt,
      count: group.length,
      frequency: frequencyOf(first.disclosedAt, last.disclosedAt, group.length),
      disclosureIds: group.map((d) => d.id),
    };
  });
  rows.sort((a, b) => (a.firstDisclosedAt < b.firstDisclosedAt ? -1 : 1));
  return { period: { from, to }, rows, listed: rows.reduce((n, r) => n + r.count, 0), leftOut, withheld };
}
