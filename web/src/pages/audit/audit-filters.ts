import type { QueryValue } from '../../api/client';

export interface AuditFilters {
  username: string;
  patientId: string;
  action: string;
  outcome: string;
  /** Calendar dates (YYYY-MM-DD) in the reader's time zone, both days included. */
  fromDate: string;
  toDate: string;
}

export const NO_FILTERS: AuditFilters = { username: '', patientId: '', action: '', outcome: '', fromDate: '', toDate: '' };

/** The filters as the API's query: days become the instants that start and end them, locally. */
export function toAuditQuery(filters: AuditFilters): Record<string, QueryValue> {
  return {
    username: filters.username.trim(),
    patientId: filters.patientId.trim(),
    action: filters.action,
    outcome: filters.outcome,
    from: filters.fromDate ? startOfLocalDay(filters.fromDate).toISOString() : undefined,
    // The API's `to` is exclusive: the start of the next day keeps the whole "to" day in.
    to: filters.toDate ? startOfLocalDay(filters.toDate, 1).toISOString() : undefined,
  };
}

/** Local midnight at the start of the day, or of a day some days later (DST-safe). */
function startOfLocalDay(date: string, addDays = 0): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + addDays);
}
