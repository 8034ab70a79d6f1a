import { describe, expect, it } from 'vitest';
import { addYears, checkRuleTerms, eligibleFrom, ruleFor, type RetentionRule } from './retention-rules.js';

const rule = (over: Partial<RetentionRule>): RetentionRule => ({
  id: 'r', scope: 'default', appliesTo: '', adultYears: 10, majorityAge: 18, minorYearsAfterMajority: 10, updatedAt: '', updatedBy: '', ...over,
});

describe('retention rules', () => {
  it('keeps an adult document ten years after its date of service', () => {
    expect(eligibleFrom(rule({}), '2010-03-15', '1960-01-01')).toBe('2020-03-15');
  });

  it("keeps a minor's document until majority plus ten years when that is later", () => {
    // Born 2005, seen at age 5 in 2010: 18 + 10 = 2033, later than 2020.
    expect(eligibleFrom(rule({}), '2010-03-15', '2005-06-01')).toBe('2033-06-01');
    // Seen at 17 in 2022: majority 2023 + 10 = 2033; adult period 2032; the later wins.
    expect(eligibleFrom(rule({}), '2022-01-01', '2005-06-01')).toBe('2033-06-01');
    // With no minor years after majority, the adult period is still the least.
    expect(eligibleFrom(rule({ minorYearsAfterMajority: 0 }), '2022-01-01', '2005-06-01')).toBe('2032-01-01');
    // Seen the day of majority: an adult.
    expect(eligibleFrom(rule({}), '2023-06-01', '2005-06-01')).toBe('2033-06-01');
  });

  it('moves 29 February to 28 February in a year without one', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('refuses a period below the federal floor and names every bad field', () => {
    expect(checkRuleTerms({ adultYears: 5, majorityAge: 18, minorYearsAfterMajority: 10 }).map((p) => p.field)).toEqual(['adultYears']);
    expect(checkRuleTerms({ adultYears: 6, majorityAge: 30, minorYearsAfterMajority: -1 }).map((p) => p.field)).toEqual(['majorityAge', 'minorYearsAfterMajority']);
    expect(checkRuleTerms({ adultYears: 6, majorityAge: 18, minorYearsAfterMajority: 0 })).toEqual([]);
  });

  it('chooses the type rule, then the category rule, then the default', () => {
    const rules = [rule({ id: 'd' }), rule({ id: 'c', scope: 'category', appliesTo: 'summary' }), rule({ id: 't', scope: 'type', appliesTo: '11506-3' })];
    expect(ruleFor(rules, '11506-3').id).toBe('t');
    expect(ruleFor(rules, '18842-5').id).toBe('c');
    expect(ruleFor(rules, '34117-2').id).toBe('d');
  });
});
