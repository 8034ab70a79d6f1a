import type { Sex } from '../../api/patients';

/** How the registration desk writes a patient's name: "OKAFOR, William James Jr". */
export function patientName(p: { family: string; given: string; middle?: string | null; suffix?: string | null }): string {
  const rest = [p.given, p.middle, p.suffix].filter(Boolean).join(' ');
  return `${p.family.toUpperCase()}, ${rest}`;
}

// Birth dates are calendar days, not moments: format them in UTC so no time zone moves them a day.
const CALENDAR_DAY = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });

/** A YYYY-MM-DD day as the reader's locale writes it (04/12/1958 in the US). */
export function formatDay(isoDay: string | null | undefined): string {
  if (!isoDay) return '';
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : CALENDAR_DAY.format(date);
}

const todayIso = () => new Date().toISOString().slice(0, 10);

/** Age in whole years (in months under two), on `on` or today; a deceased patient's age at death. */
export function ageText(birthDate: string, on: string = todayIso()): string {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = on.split('-').map(Number);
  const months = (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
  if (months < 0) return '';
  if (months < 24) return `${months} ${months === 1 ? 'month' : 'months'}`;
  const years = Math.floor(months / 12);
  return `${years} years`;
}

/** Birth date with age, as the banner and the results show it: "04/12/1958 (67 years)". */
export function birthDateWithAge(birthDate: string, deathDate?: string | null): string {
  const age = ageText(birthDate, deathDate ?? undefined);
  return age ? `${formatDay(birthDate)} (${age}${deathDate ? ' at death' : ''})` : formatDay(birthDate);
}

export const SEX_LABELS: Record<Sex, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

export const sexLabel = (sex: string): string => SEX_LABELS[sex as Sex] ?? sex;

/**
 * A match probability (0..1) with one decimal, rounded down: a "probable" pair at 0.9996 must not read
 * as a certain 100%. Strong matches all come close to 100%, so the weight is shown beside it.
 */
export function percent(score: number): string {
  return `${(Math.floor(score * 1000) / 10).toFixed(1)}%`;
}

/**
 * A comparison's weight: the sum of its fields' weights (log2 of how much likelier the agreement is
 * for one patient than for two). It keeps growing where the probability stops near 100%, so it is
 * what tells strong candidates apart.
 */
export const matchWeight = (fields: { weight: number }[]): number => fields.reduce((sum, f) => sum + f.weight, 0);
