/** Dates as the department counts them: YYYY-MM-DD in UTC, and deadlines counted in calendar days. */
export type IsoDate = string;

export const todayOf = (now: Date): IsoDate => now.toISOString().slice(0, 10);

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The same day some years earlier (29 February falls back to 28 February). */
export function yearsBefore(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const back = new Date(Date.UTC(y - years, m - 1, d));
  if (back.getUTCMonth() !== m - 1) back.setUTCDate(0);
  return back.toISOString().slice(0, 10);
}

/** Days from one date to another (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * A request that must be acted on within `days` of receipt, with one extension of `extensionDays`
 * granted by a written notice sent before the first deadline passes. 164.528(c)(1): 60 days, one
 * 30-day extension; 164.526(b)(2): the same for amendments.
 */
export interface Deadline {
  days: number;
  extensionDays: number;
}

export const ACCOUNTING_DEADLINE: Deadline = { days: 60, extensionDays: 30 };
export const AMENDMENT_DEADLINE: Deadline = { days: 60, extensionDays: 30 };

export const dueDateOf = (receivedOn: IsoDate, rule: Deadline): IsoDate => addDays(receivedOn, rule.days);

export type ExtensionRefusal = 'already-extended' | 'too-late';

/** Why an extension cannot be granted today, or undefined when it can. */
export function checkExtension(request: { dueOn: IsoDate; extendedDueOn: IsoDate | null }, today: IsoDate): ExtensionRefusal | undefined {
  if (request.extendedDueOn) return 'already-extended';
  if (today > request.dueOn) return 'too-late';
  return undefined;
}

export const extendedDueDateOf = (dueOn: IsoDate, rule: Deadline): IsoDate => addDays(dueOn, rule.extensionDays);

/** The date the request is now due: the extended one when extended. */
export const currentDueDate = (request: { dueOn: IsoDate; extendedDueOn: IsoDate | null }): IsoDate => request.extendedDueOn ?? request.dueOn;
