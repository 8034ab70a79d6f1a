import { DomainError, invalid } from '../../platform/errors.js';
import { DOCUMENT_CATEGORIES, findDocumentType, type DocumentCategory } from '../document-types.js';

/**
 * How long a document is kept. Federal law sets the floor: 42 CFR 482.24(b) (Medicare conditions of
 * participation) five years, 45 CFR 164.316(b)(2) (HIPAA documentation) six; states set more, often
 * 7-10 years after care for adults and until the age of majority plus some years for minors. The
 * defaults (10 years; a minor's until 18 + 10) meet the common state rules; a hospital edits them.
 */
export const FEDERAL_FLOOR_YEARS = 6;
export const DEFAULT_ADULT_YEARS = 10;
export const DEFAULT_MAJORITY_AGE = 18;
export const DEFAULT_MINOR_YEARS_AFTER_MAJORITY = 10;

/** A rule governs one document type, a category, or everything else (the default). */
export const RULE_SCOPES = ['type', 'category', 'default'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export interface RetentionRule {
  id: string;
  scope: RuleScope;
  /** '' for the default, a document category, or a LOINC document code. */
  appliesTo: string;
  /** Adults: kept this many years after the date of service. */
  adultYears: number;
  majorityAge: number;
  /** A patient who was a minor on the date of service: kept until majority plus this many years, or the adult period if later. */
  minorYearsAfterMajority: number;
  updatedAt: string;
  updatedBy: string;
}

export type RuleTerms = Pick<RetentionRule, 'adultYears' | 'majorityAge' | 'minorYearsAfterMajority'>;

/** Every problem with a rule's terms, so the supervisor sees all of them at once. */
export function checkRuleTerms(terms: RuleTerms): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!Number.isInteger(terms.adultYears) || terms.adultYears < FEDERAL_FLOOR_YEARS || terms.adultYears > 100) {
    problems.push({ field: 'adultYears', message: `At least ${FEDERAL_FLOOR_YEARS} years (the federal floor: HIPAA 6 years, Medicare 5), at most 100.` });
  }
  if (!Number.isInteger(terms.majorityAge) || terms.majorityAge < 16 || terms.majorityAge > 21) {
    problems.push({ field: 'majorityAge', message: 'An age of majority between 16 and 21.' });
  }
  if (!Number.isInteger(terms.minorYearsAfterMajority) || terms.minorYearsAfterMajority < 0 || terms.minorYearsAfterMajority > 100) {
    problems.push({ field: 'minorYearsAfterMajority', message: 'Between 0 and 100 years after the age of majority.' });
  }
  return problems;
}

export function assertRuleTerms(terms: RuleTerms): void {
  const problems = checkRuleTerms(terms);
  if (problems.length) {
    const floor = problems.some((p) => p.field === 'adultYears') && terms.adultYears < FEDERAL_FLOOR_YEARS;
    throw invalid(floor ? 'retention.below-floor' : 'retention.rule-invalid',
      floor ? `A retention period may not be shorter than ${FEDERAL_FLOOR_YEARS} years, the federal floor.` : 'The retention rule is not valid.', problems);
  }
}

/** Checks what a rule applies to: '' for the default, a known category, a known document type. */
export function assertRuleTarget(scope: RuleScope, appliesTo: string): void {
  const ok = scope === 'default' ? appliesTo === ''
    : scope === 'category' ? (DOCUMENT_CATEGORIES as readonly string[]).includes(appliesTo)
    : findDocumentType(appliesTo) !== undefined;
  if (!ok) throw invalid('retention.rule-target', 'Choose a document type or category Chartroom knows (the default rule applies to no type).', [{ field: 'appliesTo', message: 'Not a known type or category.' }]);
}

/** The rule that governs a document type: its own, else its category's, else the default. */
export function ruleFor(rules: readonly RetentionRule[], typeCode: string): RetentionRule {
  const category: DocumentCategory | undefined = findDocumentType(typeCode)?.category;
  const rule = rules.find((r) => r.scope === 'type' && r.appliesTo === typeCode)
    ?? rules.find((r) => r.scope === 'category' && r.appliesTo === category)
    ?? rules.find((r) => r.scope === 'default');
  if (!rule) throw new DomainError('internal', 'retention.no-default', 'No default retention rule is set.');
  return rule;
}

/** YYYY-MM-DD plus whole years; 29 February becomes 28 February in a year that has none. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The first day a document may be destroyed. Adults: the date of service plus the adult period (the
 * clock runs from the care the document records, so each document's date is fixed when it is filed).
 * A patient who was a minor on the date of service: the later of that and the age of majority plus
 * the minor period.
 */
export function eligibleFrom(terms: RuleTerms, serviceDate: string, birthDate: string | null): string {
  const adultEnd = addYears(serviceDate, terms.adultYears);
  if (!birthDate) return adultEnd;
  const majority = addYears(birthDate, terms.majorityAge);
  if (serviceDate >= majority) return adultEnd;
  const minorEnd = addYears(majority, terms.minorYearsAfterMajority);
  return minorEnd > adultEnd ? minorEnd : adultEnd;
}
