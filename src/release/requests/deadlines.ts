import type { LegalBasis } from './request-input.js';

const DAY_MS = 86_400_000;

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 45 CFR 164.524(b)(2): act within 30 days of receipt; a state rule may set fewer. */
export const FEDERAL_ACCESS_DAYS = 30;
/** 45 CFR 164.524(b)(2)(ii): one extension of no more than 30 days. */
export const EXTENSION_DAYS = 30;

/** The due date of a request received on `receivedOn`, under a state rule of `accessDays` (at most 30). */
export function computeDueDate(receivedOn: string, accessDays: number): string {
  return addDays(receivedOn, Math.min(accessDays, FEDERAL_ACCESS_DAYS));
}

/** The extension belongs to the right of access (and the patient-directed copy that rides on it). */
export const isExtendable = (basis: LegalBasis['kind']): boolean => basis === 'right-of-access' || basis === 'patient-directed';

export interface ExtensionProblem {
  field: string;
  message: string;
}

/**
 * 45 CFR 164.524(b)(2)(ii)-(iii): one extension, by a written notice sent within the first 30 days
 * (and before the due date) giving the reason and the new date, at most 30 days past the due date.
 */
export function checkExtension(r: { basis: LegalBasis['kind']; receivedOn: string; dueDate: string; extended: boolean }, ask: { newDueDate: string; reason: string }, today: string): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  if (!isExtendable(r.basis)) problems.push({ field: 'basis', message: 'Only a right-of-access request can be extended.' });
  if (r.extended) problems.push({ field: 'newDueDate', message: 'The request was extended once already; the rule allows one extension.' });
  const lastDay = r.dueDate < addDays(r.receivedOn, FEDERAL_ACCESS_DAYS) ? r.dueDate : addDays(r.receivedOn, FEDERAL_ACCESS_DAYS);
  if (today > lastDay) problems.push({ field: 'newDueDate', message: 'The extension notice must go out within the first 30 days (and before the due date).' });
  if (ask.newDueDate < today) problems.push({ field: 'newDueDate', message: 'The new due date is in the past.' });
  else if (ask.newDueDate <= r.dueDate) problems.push({ field: 'newDueDate', message: 'The new due date must be after the current one.' });
  else if (ask.newDueDate > addDays(r.dueDate, EXTENSION_DAYS)) problems.push({ field: 'newDueDate', message: 'The extension may add at most 30 days.' });
  if (!ask.reason.trim()) problems.push({ field: 'reason', message: 'The notice must give the reason for the delay.' });
  return problems;
}

export const isOverdue = (dueDate: string, today: string, open: boolean): boolean => open && dueDate < today;
