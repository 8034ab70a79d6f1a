import { describe, expect, it } from 'vitest';
import { checkSuspension, computeAccounting, frequencyOf, isFreeAccounting, isWithheldBySuspension, type LoggedDisclosure, type Suspension } from './accounting-rules.js';
import { DISCLOSURE_KIND_CODES, DISCLOSURE_KINDS, isExemptFromAccounting, recipientKeyOf } from './kinds.js';

let seq = 0;
function disclosure(overrides: Partial<LoggedDisclosure> = {}): LoggedDisclosure {
  const recipientName = overrides.recipientName ?? 'Maine CDC';
  return {
    id: `d${++seq}`, patientId: 'p1', disclosedAt: '2025-03-01T10:00:00.000Z', recipientName, recipientKey: recipientKeyOf(recipientName), recipientAddress: '286 Water St, Augusta ME',
    description: 'Lab result', purpose: 'Reportable disease', kind: 'public_health', correctsId: null, ...overrides,
  };
}
const options = (over: Partial<Parameters<typeof computeAccounting>[1]> = {}) => ({
  period: { from: '2020-11-25', to: '2026-11-25' }, asOf: '2026-11-25', suspensions: [], correctedIds: new Set<string>(), ...over,
});

describe('exemptions (164.528(a)(1))', () => {
  const exempt = ['treatment', 'payment', 'operations', 'to_patient', 'incidental', 'authorization', 'facility_directory', 'involved_in_care', 'national_security', 'correctional', 'limited_data_set'];
  it.each(exempt)('leaves out a disclosure for %s', (kind) => {
    expect(isExemptFromAccounting(kind)).toBe(true);
    expect(computeAccounting([disclosure({ kind })], options())).toMatchObject({ rows: [], listed: 0, leftOut: 1 });
  });
  it.each(DISCLOSURE_KIND_CODES.filter((k) => !exempt.includes(k)))('lists a disclosure for %s', (kind) => {
    expect(DISCLOSURE_KINDS[kind].exempt).toBe(false);
    expect(computeAccounting([disclosure({ kind })], options()).listed).toBe(1);
  });
});

describe('the accounting period', () => {
  it('lists disclosures on both edges of the period and none outside it', () => {
    const inside = [disclosure({ disclosedAt: '2020-11-25T00:00:00.000Z' }), disclosure({ disclosedAt: '2026-11-25T23:59:59.000Z', recipientName: 'State police' , kind: 'law_enforcement'})];
    const outside = [disclosure({ disclosedAt: '2020-11-24T23:59:59.000Z' }), disclosure({ disclosedAt: '2026-11-26T00:00:00.000Z' })];
    const a = computeAccounting([...outside, ...inside], options());
    expect(a.rows.map((r) => r.firstDisclosedAt)).toEqual(inside.map((d) => d.disclosedAt));
  });

  it('uses the correcting entry instead of the one it corrects', () => {
    const wrong = disclosure({ recipientName: 'County sheriff', kind: 'law_enforcement' });
    const fixed = disclosure({ recipientName: 'County sheriff', kind: 'law_enforcement', description: 'ED record of 2025-02-28', correctsId: wrong.id });
    const a = computeAccounting([wrong, fixed], options({ correctedIds: new Set([wrong.id]) }));
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]).toMatchObject({ description: 'ED record of 2025-02-28', count: 1 });
    expect(a.leftOut).toBe(1);
  });
});

describe('repeated disclosures to one recipient for one purpose (164.528(b)(3))', () => {
  it('summarises them as the first in full with the number, the frequency and the last date', () => {
    const monthly = Array.from({ length: 12 }, (_, i) => disclosure({ disclosedAt: `2025-${String(i + 1).padStart(2, '0')}-05T09:00:00.000Z`, recipientName: i % 2 ? 'MAINE  CDC' : 'Maine CDC', description: i ? 'later' : 'Initial cancer registry abstract' }));
    const other = disclosure({ purpose: 'Outbreak investigation', disclosedAt: '2025-06-10T00:00:00.000Z' });
    const a = computeAccounting([...monthly, other], options());
    expect(a.rows).toHaveLength(2);
    expect(a.rows[0]).toMatchObject({ recipientName: 'Maine CDC', description: 'Initial cancer registry abstract', count: 12, frequency: 'about monthly', firstDisclosedAt: '2025-01-05T09:00:00.000Z', lastDisclosedAt: '2025-12-05T09:00:00.000Z' });
    expect(a.rows[1]).toMatchObject({ purpose: 'Outbreak investigation', count: 1, frequency: null });
    expect(a.listed).toBe(13);
  });

  it('describes how often', () => {
    expect(frequencyOf('2025-01-01', '2025-01-08', 8)).toBe('about daily');
    expect(frequencyOf('2025-01-01', '2025-02-26', 9)).toBe('about weekly');
    expect(frequencyOf('2025-01-01', '2025-04-11', 6)).toBe('about every 20 days');
    expect(frequencyOf('2025-01-01', '2025-01-01', 1)).toBeNull();
  });
});

describe('agency suspensions (164.528(a)(2))', () => {
  const police: Suspension = { agencyKey: recipientKeyOf('State Police'), patientId: null, form: 'written', fromDate: '2026-10-01', untilDate: '2027-03-31' };
  const toPolice = disclosure({ recipientName: 'state police', kind: 'law_enforcement', disclosedAt: '2026-09-15T00:00:00.000Z' });

  it('withholds disclosures to the agency while the suspension is in force, and not after it ends', () => {
    expect(isWithheldBySuspension(toPolice, [police], '2026-11-25')).toBe(true);
    expect(isWithheldBySuspension(toPolice, [police], '2027-04-01')).toBe(false);
    expect(isWithheldBySuspension(toPolice, [police], '2026-09-30')).toBe(false);
    expect(isWithheldBySuspension({ ...toPolice, recipientKey: 'fbi' }, [police], '2026-11-25')).toBe(false);
    const a = computeAccounting([toPolice, disclosure()], options({ suspensions: [police] }));
    expect(a).toMatchObject({ listed: 1, withheld: 1 });
  });

  it("applies a patient's own suspension only to that patient", () => {
    const forOther = { ...police, patientId: 'p2' };
    expect(isWithheldBySuspension(toPolice, [forOther], '2026-11-25')).toBe(false);
    expect(isWithheldBySuspension(toPolice, [{ ...police, patientId: 'p1' }], '2026-11-25')).toBe(true);
  });

  it('refuses an oral suspension longer than 30 days and an end in the past', () => {
    expect(checkSuspension({ form: 'oral', fromDate: '2026-11-25', untilDate: '2026-12-24' }, '2026-11-25')).toEqual([]);
    expect(checkSuspension({ form: 'oral', fromDate: '2026-11-25', untilDate: '2026-12-25' }, '2026-11-25').map((p) => p.field)).toEqual(['untilDate']);
    expect(checkSuspension({ form: 'written', fromDate: '2026-11-25', untilDate: '2027-12-25' }, '2026-11-25')).toEqual([]);
    expect(checkSuspension({ form: 'written', fromDate: '2026-01-01', untilDate: '2026-02-01' }, '2026-11-25')[0].message).toMatch(/already have ended/);
    expect(checkSuspension({ form: 'written', fromDate: '2026-12-01', untilDate: '2026-11-30' }, '2026-11-25')[0].field).toBe('untilDate');
  });
});

describe('the first accounting in 12 months is free (164.528(c)(2))', () => {
  it.each([
    [[], true],
    [['2026-01-10'], false],
    [['2025-11-26'], false],
    [['2025-11-25'], true],
    [['2024-06-01', '2025-03-01'], true],
  ] as const)('earlier requests %j: free %s', (earlier, free) => {
    expect(isFreeAccounting('2026-11-25', earlier)).toBe(free);
  });
});
