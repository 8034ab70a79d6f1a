import type { AppContext } from '../../context.js';
import { addDays, daysBetween } from './deadlines.js';
import { todayOf } from './request-record.js';
import { OPEN_STATUSES, REQUEST_STATUSES, type RequestStatus } from './workflow.js';

export interface TurnaroundWeek {
  /** Monday of the week (YYYY-MM-DD). */
  weekStart: string;
  closed: number;
  /** Average days from receipt to release or denial, or null when none closed that week. */
  averageDays: number | null;
}

export interface ReleaseDashboard {
  today: string;
  open: number;
  dueThisWeek: number;
  overdue: number;
  byStatus: Record<RequestStatus, number>;
  turnaround: { closed: number; averageDays: number | null; medianDays: number | null; weeks: TurnaroundWeek[] };
}

const WEEKS = 12;

export function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const average = (values: number[]): number | null => (values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null);

/**
 * The release desk at a glance, as of the clock's today: open requests, those due within the next 7
 * days, the overdue, and the turnaround (receipt to release or denial) of the last 12 weeks by week.
 * Counts only, no patient: not a read of any record.
 */
export async function releaseDashboard(ctx: AppContext): Promise<ReleaseDashboard> {
  const today = todayOf(ctx);
  const weekEnd = addDays(today, 6);
  const firstWeek = addDays(mondayOf(today), -7 * (WEEKS - 1));
  const rows = await ctx.db.selectFrom('releaseRequests').select(['status', 'dueDate', 'receivedOn', 'closedAt'])
    .where((eb) => eb.or([eb('status', 'in', [...OPEN_STATUSES]), eb('closedAt', '>=', `${firstWeek}T00:00:00.000Z`)])).execute();
  const byStatus = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>;
  let open = 0, dueThisWeek = 0, overdue = 0;
  const weeks = new Map<string, number[]>();
  for (let i = 0; i < WEEKS; i++) weeks.set(addDays(firstWeek, 7 * i), []);
  const all: number[] = [];
  for (const r of rows) {
    const status = r.status as RequestStatus;
    byStatus[status] += 1;
    if (OPEN_STATUSES.includes(status)) {
      open += 1;
      if (r.dueDate < today) overdue += 1;
      else if (r.dueDate <= weekEnd) dueThisWeek += 1;
    } else if ((status === 'released' || status === 'denied') && r.closedAt) {
      const closedOn = r.closedAt.slice(0, 10);
      const days = daysBetween(r.receivedOn, closedOn);
      weeks.get(mondayOf(closedOn))?.push(days);
      all.push(days);
    }
  }
  return {
    today, open, dueThisWeek, overdue, byStatus,
    turnaround: {
      closed: all.length, averageDays: average(all), medianDays: median(all),
      weeks: [...weeks].map(([weekStart, days]) => ({ weekStart, closed: days.length, averageDays: average(days) })),
    },
  };
}
