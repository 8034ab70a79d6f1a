import { describe, expect, it } from 'vitest';
import { canMoveTo, checkStatement, DENIAL_GROUND_CODES, denialRights } from './amendment-rules.js';

describe('amendment rules (164.526)', () => {
  it('decides a request once', () => {
    expect(canMoveTo('open', 'accepted')).toBe(true);
    expect(canMoveTo('open', 'denied')).toBe(true);
    expect(canMoveTo('denied', 'accepted')).toBe(false);
    expect(canMoveTo('accepted', 'denied')).toBe(false);
  });

  it('knows exactly the four denial grounds', () => {
    expect(DENIAL_GROUND_CODES).toEqual(['not_created_here', 'not_in_record_set', 'not_available_for_access', 'accurate_and_complete']);
  });

  it('takes statements only after a denial, and a rebuttal only after a statement of disagreement', () => {
    expect(checkStatement('open', 'disagreement', false)).toMatch(/follow a denial/);
    expect(checkStatement('denied', 'rebuttal', false)).toMatch(/statement of disagreement/);
    expect(checkStatement('denied', 'rebuttal', true)).toBeUndefined();
    expect(checkStatement('denied', 'disagreement', false)).toBeUndefined();
  });

  it("states the patient's rights in a denial letter", () => {
    const text = denialRights('Mercy Hospital').join(' ');
    for (const right of ['statement disagreeing', 'future disclosure', 'Secretary of the U.S. Department of Health and Human Services', "Mercy Hospital's privacy officer"]) expect(text).toContain(right);
  });
});
