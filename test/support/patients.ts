import type { DemographicsInput } from '../../src/patients/demographics.js';

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
