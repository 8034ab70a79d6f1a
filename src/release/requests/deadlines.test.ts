import { describe, expect, it } from 'vitest';
import { addDays, checkExtension, computeDueDate, daysBetween, isOverdue } from './deadlines.js';
import { canMove, assertMove, InvalidStateTransition, VALID_TRANSITIONS, REQUEST_STATUSES } from './workflow.js';
import { checkReviewer, type Denial } from './denials.js';
import { median, mondayOf } from './dashboard.js';

describe('due dates (45 CFR 164.524(b)(2))', () => {
  it('is 30 days from receipt, or fewer under a state rule, never more', () => {
    expect(computeDueDate('2026-11-25', 30)).toBe('2026-12-25');
    expect(computeDueDate('2026-11-25', 15)).toBe('2026-12-10');
    expect(computeDueDate('2026-11-25', 45)).toBe('2026-12-25');
    expect(computeDueDate('2028-02-15', 30)).toBe('2028-03-16');
  });
  it('counts days and flags overdue open requests only', () => {
    expect(daysBetween('2026-11-25', '2026-12-01')).toBe(6);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isOverdue('2026-11-24', '2026-11-25', true)).toBe(true);
    expect(isOverdue('2026-11-25', '2026-11-25', true)).toBe(false);
    expect(isOverdue('2026-11-24', '2026-11-25', false)).toBe(false);
  });
});

describe('the one extension (45 CFR 164.524(b)(2)(ii))', () => {
  const request = { basis: 'right-of-access' as const, receivedOn: '2026-11-01', dueDate: '2026-12-01', extended: false };
  const fields = (p: { field: string }[]) => p.map((x) => x.field);
  it('allows up to 30 more days within the first 30 days, with a reason', () => {
    expect(checkExtension(request, { newDueDate: '2026-12-31', reason: 'Records in off-site storage' }, '2026-11-20')).toEqual([]);
  });
  it('refuses a second extension, a late notice, more than 30 days, a past date, no reason, and a third-party request', () => {
    expect(fields(checkExtension({ ...request, extended: true }, { newDueDate: '2026-12-31', reason: 'x' }, '2026-11-20'))).toEqual(['newDueDate']);
    expect(checkExtension(request, { newDueDate: '2026-12-31', reason: 'x' }, '2026-12-02')[0].message).toMatch(/within the first 30 days/);
    expect(checkExtension(request, { newDueDate: '2027-01-01', reason: 'x' }, '2026-11-20')[0].message).toMatch(/at most 30 days/);
    expect(checkExtension(request, { newDueDate: '2026-11-10', reason: 'x' }, '2026-11-20')[0].message).toMatch(/in the past/);
    expect(checkExtension(request, { newDueDate: '2026-11-30', reason: 'x' }, '2026-11-20')[0].message).toMatch(/after the current one/);
    expect(fields(checkExtension(request, { newDueDate: '2026-12-31', reason: ' ' }, '2026-11-20'))).toEqual(['reason']);
    expect(fields(checkExtension({ ...request, basis: 'authorization' }, { newDueDate: '2026-12-31', reason: 'x' }, '2026-11-20'))).toEqual(['basis']);
  });
  it('wants the notice before a shortened due date', () => {
    const shortened = { ...request, dueDate: '2026-11-16' };
    expect(checkExtension(shortened, { newDueDate: '2026-12-10', reason: 'x' }, '2026-11-17')[0].message).toMatch(/within the first 30 days/);
  });
});

describe('the workflow', () => {
  it('allows the moves of the table and nothing else', () => {
    expect(canMove('logged', 'validated')).toBe(true);
    expect(canMove('validated', 'in_process')).toBe(true);
    expect(canMove('in_process', 'quality_check')).toBe(true);
    expect(canMove('quality_check', 'released')).toBe(true);
    expect(canMove('logged', 'released')).toBe(false);
    expect(canMove('logged', 'quality_check')).toBe(false);
    expect(canMove('released', 'in_process')).toBe(false);
    expect(() => assertMove('cancelled', 'logged')).toThrow(InvalidStateTransition);
  });
  it('reaches released only from quality check, and closes for good once released or cancelled', () => {
    const into = (to: string) => REQUEST_STATUSES.filter((s) => VALID_TRANSITIONS[s].includes(to as never));
    expect(into('released')).toEqual(['quality_check']);
    expect(VALID_TRANSITIONS.released).toEqual([]);
    expect(VALID_TRANSITIONS.cancelled).toEqual([]);
  });
});

describe('denial review (45 CFR 164.524(a)(4))', () => {
  const denial = (ground: Denial['ground']): Denial => ({ ground, explanation: '', deniedAt: '', deniedBy: { id: 'u1', name: 'A' }, review: null });
  it('is for reviewable grounds, by someone who did not deny', () => {
    expect(checkReviewer(denial('endangerment'), 'u2')).toEqual([]);
    expect(checkReviewer(denial('endangerment'), 'u1')).toEqual(['The reviewer must be someone who took no part in the denial.']);
    expect(checkReviewer(denial('inmate-safety'), 'u2')).toEqual(['This ground of denial is not reviewable.']);
  });
});

describe('dashboard arithmetic', () => {
  it('finds the Monday of a week and the median', () => {
    expect(mondayOf('2026-11-25')).toBe('2026-11-23');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
