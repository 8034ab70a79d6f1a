import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { outcomeOf } from './operation-outcome.js';

describe('errors as OperationOutcome', () => {
  it.each([
    [new DomainError('invalid', 'request.invalid', 'Bad.'), 400, 'invalid'],
    [new DomainError('unauthenticated', 'auth.required', 'Please sign in.'), 401, 'login'],
    [new DomainError('forbidden', 'access.forbidden', 'No.'), 403, 'forbidden'],
    [new DomainError('not-found', 'not-found', 'The patient was not found.'), 404, 'not-found'],
    [new DomainError('conflict', 'patient.duplicate-suspected', 'May be registered.', [], { candidates: [{ mrn: 'M0000017', grade: 'certain', score: 0.99 }] }), 409, 'duplicate'],
    [new DomainError('conflict', 'patient.version-conflict', 'Someone else saved.'), 412, 'conflict'],
    [new DomainError('rate-limited', 'rate-limited', 'Slow down.'), 429, 'throttled'],
    [new Error('secret patient detail in a message'), 500, 'exception'],
  ])('maps %s to %i %s', (err, status, code) => {
    const { status: s, outcome } = outcomeOf(err);
    expect(s).toBe(status);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0].code).toBe(code);
    expect(JSON.stringify(outcome)).not.toMatch(/secret patient detail/);
  });

  it('lists the candidate MRNs of a suspected duplicate and how to override', () => {
    const { outcome } = outcomeOf(new DomainError('conflict', 'patient.duplicate-suspected', 'May be registered.', [], { candidates: [{ mrn: 'M0000017', grade: 'certain', score: 0.987 }] }));
    expect(outcome.issue[0].diagnostics).toMatch(/M0000017 \(certain, score 0\.99\).*X-Chartroom-Duplicate-Reason/);
  });

  it('names each field by FHIRPath, mapping demographics fields to Patient elements', () => {
    const { outcome } = outcomeOf(new DomainError('invalid', 'request.invalid', 'Bad dates.', [
      { field: 'birthDate', message: 'The birth date is in the future.' },
      { field: 'Patient.telecom[1].value', message: 'Not a phone number.' },
    ]));
    expect(outcome.issue.map((i) => i.expression)).toEqual([['Patient.birthDate'], ['Patient.telecom[1].value']]);
    expect(outcome.issue[0].details?.coding?.[0].code).toBe('request.invalid');
  });

  it('names the element of a zod error in a Parameters resource', () => {
    const parsed = z.object({ parameter: z.array(z.object({ name: z.string() })) }).safeParse({ parameter: [{ name: 3 }] });
    const { status, outcome } = outcomeOf(parsed.error);
    expect(status).toBe(400);
    expect(outcome.issue[0].expression).toEqual(['Parameters.parameter[0].name']);
  });
});
