import { describe, expect, it } from 'vitest';
import { DEFAULT_FEE_SCHEDULE, FeeSchedule, type FeeSchedule as Schedule } from './fee-schedule.js';
import { quoteFee, type FeeQuestion } from './fee-quote.js';

const schedule: Schedule = DEFAULT_FEE_SCHEDULE;
const ask = (over: Partial<FeeQuestion>): FeeQuestion => ({ patientOwnCopy: true, medium: 'electronic', recordsKeptElectronically: true, pages: 120, postageCents: 0, ...over });
const codes = (q: ReturnType<typeof quoteFee>) => q.lines.map((l) => l.code);

describe('fees for a patient\'s own copy (45 CFR 164.524(c)(4))', () => {
  it('charges the flat $6.50 for an electronic copy of electronic records, whatever its length', () => {
    for (const pages of [1, 120, 4_000]) {
      const quote = quoteFee(schedule, ask({ pages }));
      expect(quote.totalCents).toBe(650);
      expect(codes(quote)).toEqual(['flat-electronic']);
    }
  });

  it('charges labour, supplies and postage for paper, and never a base, search, retrieval or certification fee', () => {
    const quote = quoteFee(schedule, ask({ medium: 'paper', pages: 40, postageCents: 273, certified: true }));
    expect(codes(quote)).toEqual(['labour', 'supplies', 'postage']);
    expect(quote.totalCents).toBe(40 * 10 + 40 * 5 + 273);
  });

  it('charges labour per page for an electronic copy of paper records (no flat fee), with media when asked for', () => {
    const quote = quoteFee(schedule, ask({ recordsKeptElectronically: false, pages: 30, portableMedia: true }));
    expect(codes(quote)).toEqual(['labour', 'portable-media']);
    expect(quote.totalCents).toBe(30 * 10 + 300);
  });

  it('charges per page when the department does not use the flat fee', () => {
    const perPage = { ...schedule, patientCopy: { ...schedule.patientCopy, flatElectronic: false } };
    expect(quoteFee(perPage, ask({ pages: 12 })).totalCents).toBe(120);
  });

  it('charges the agreed summary fee in place of copying', () => {
    const withSummary = { ...schedule, patientCopy: { ...schedule.patientCopy, summaryCents: 1_500 } };
    const quote = quoteFee(withSummary, ask({ summary: true, medium: 'paper', postageCents: 68 }));
    expect(codes(quote)).toEqual(['summary', 'postage']);
    expect(quote.totalCents).toBe(1_568);
  });
});

describe('fees for third parties (the state schedule)', () => {
  it('charges the base fee and the page tiers in order', () => {
    const quote = quoteFee(schedule, ask({ patientOwnCopy: false, medium: 'paper', pages: 130, postageCents: 500 }));
    expect(quote.lines.map((l) => [l.code, l.quantity, l.amountCents])).toEqual([
      ['base', 1, 2_500], ['pages', 25, 2_500], ['pages', 75, 3_750], ['pages', 30, 750], ['postage', 1, 500],
    ]);
    expect(quote.totalCents).toBe(10_000);
  });

  it('stops at the tier the pages reach, and adds certification when asked', () => {
    const quote = quoteFee(schedule, ask({ patientOwnCopy: false, medium: 'paper', pages: 10, certified: true }));
    expect(quote.lines.map((l) => [l.code, l.quantity])).toEqual([['base', 1], ['pages', 10], ['certification', 1]]);
    expect(quote.totalCents).toBe(2_500 + 1_000 + 1_000);
  });

  it('reduces an electronic copy to the state cap', () => {
    const capped = { ...schedule, thirdParty: { ...schedule.thirdParty, electronicCapCents: 5_000 } };
    const quote = quoteFee(capped, ask({ patientOwnCopy: false, pages: 300 }));
    expect(quote.totalCents).toBe(5_000);
    expect(quote.lines.at(-1)?.code).toBe('electronic-cap');
    expect(quoteFee(capped, ask({ patientOwnCopy: false, pages: 5 })).totalCents).toBe(3_000);
  });
});

describe('waivers', () => {
  it('charges nothing when the schedule waives the request, saying why', () => {
    const quote = quoteFee(schedule, ask({ patientOwnCopy: false, medium: 'paper', pages: 500, waiver: 'continuity-of-care' }));
    expect(quote.totalCents).toBe(0);
    expect(quote.waived?.reason).toMatch(/treatment/);
  });

  it('refuses a waiver the schedule does not grant', () => {
    expect(() => quoteFee(schedule, ask({ waiver: 'indigent-patient' }))).toThrow(/does not waive/);
  });
});

describe('the fee schedule itself', () => {
  it('accepts the default', () => {
    expect(FeeSchedule.parse(DEFAULT_FEE_SCHEDULE)).toEqual(DEFAULT_FEE_SCHEDULE);
  });

  it('refuses fees below zero, a flat electronic fee above $6.50, and tiers out of order', () => {
    const issues = (s: unknown) => FeeSchedule.safeParse(s).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ ...schedule, thirdParty: { ...schedule.thirdParty, baseCents: -1 } })).toEqual(['thirdParty.baseCents: A fee cannot be below zero.']);
    expect(issues({ ...schedule, patientCopy: { ...schedule.patientCopy, flatElectronicCents: 900 } })).toEqual(['patientCopy.flatElectronicCents: The flat fee for an electronic copy is at most $6.50.']);
    expect(issues({ ...schedule, thirdParty: { ...schedule.thirdParty, perPageTiers: [{ upToPage: 50, centsPerPage: 1 }, { upToPage: 20, centsPerPage: 1 }, { upToPage: null, centsPerPage: 1 }] } }))
      .toEqual(['thirdParty.perPageTiers.1.upToPage: Tiers go up in page order.']);
    expect(issues({ ...schedule, thirdParty: { ...schedule.thirdParty, perPageTiers: [{ upToPage: 50, centsPerPage: 1 }] } }))
      .toEqual(['thirdParty.perPageTiers.0.upToPage: Only the last tier is without a page limit.']);
  });

  it('refuses pages or postage below zero in a question', () => {
    expect(() => quoteFee(schedule, ask({ pages: -1 }))).toThrow(RangeError);
    expect(() => quoteFee(schedule, ask({ postageCents: -5 }))).toThrow(RangeError);
  });
});
