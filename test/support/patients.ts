import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { DemographicsInput } from '../../src/patients/demographics.js';
import { send, type SignedInUser } from './http.js';

/** A registration as a clerk would type it; override what a test is about. */
export function patientInput(overrides: Partial<DemographicsInput> = {}): DemographicsInput {
  return {
    given: 'William',
    middle: 'James',
    family: 'Okafor',
    birthDate: '1958-04-12',
    sex: 'male',
    addresses: [{ use: 'home', line1: '12 Harbor Lane', city: 'Portland', state: 'ME', postalCode: '04101' }],
    phones: [{ use: 'mobile', number: '(207) 555-0142' }],
    email: 'w.okafor@example.org',
    ssn: '219-09-9999',
    race: ['2054-5'],
    ethnicity: '2186-5',
    language: 'en',
    maritalStatus: 'M',
    contacts: [{ name: 'Ada Okafor', relationship: 'spouse', phone: '207-555-0143', emergencyContact: true }],
    coverages: [{ payer: 'Medicare Part A', memberId: '1EG4-TE5-MK72', subscriberRelationship: 'self', order: 1 }],
    ...overrides,
  };
}

let born = 0;
/**
 * Registers a patient over HTTP as a clerk would, with a birth date no earlier test used (so the
 * duplicate check never stops it); answers the patient's id.
 */
export async function registerOverHttp(app: FastifyInstance, user: SignedInUser, family: string): Promise<string> {
  born += 1;
  const birthDate = `19${40 + (born % 60)}-0${1 + (born % 9)}-1${born % 10}`;
  const res = await send(app, user.session, 'POST', '/api/patients', patientInput({ family, ssn: undefined, phones: [], email: undefined, birthDate, addresses: [] }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().patient.id;
}
