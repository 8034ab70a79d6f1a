import { describe, expect, it } from 'vitest';
import { ACCOUNTING_DEADLINE, AMENDMENT_DEADLINE, addDays, checkExtension, currentDueDate, dueDateOf, extendedDueDateOf, yearsBefore } from './deadlines.js';
import { earliestPeriodStart } from './accounting-rules.js';

describe('deadlines', () => {
  it('makes an accounting or amendment due 60 days after receipt, 90 with the one extension', () => {
    expect(dueDateOf('2026-11-25', ACCOUNTING_DEADLINE)).toBe('2027-01-24');
    expect(dueDateOf('2026-12-31', AMENDMENT_DEADLINE)).toBe('2027-03-01');
    expect(extendedDueDateOf('2027-01-24', ACCOUNTING_DEADLINE)).toBe('2027-02-23');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('grants one extension, only until the first due date', () => {
    expect(checkExtension({ dueOn: '2027-01-24', extendedDueOn: null }, '2027-01-24')).toBeUndefined();
    expect(checkExtension({ dueOn: '2027-01-24', extendedDueOn: null }, '2027-01-25')).toBe('too-late');
    expect(checkExtension({ dueOn: '2027-01-24', extendedDueOn: '2027-02-23' }, '2027-01-01')).toBe('already-extended');
    expect(currentDueDate({ dueOn: '2027-01-24', extendedDueOn: '2027-02-23' })).toBe('2027-02-23');
  });

  it('reaches back six years, 29 February falling to the 28th', () => {
    expect(earliestPeriodStart('2026-11-25')).toBe('2020-11-25');
    expect(yearsBefore('2028-02-29', 6)).toBe('2022-02-28');
  });
});
