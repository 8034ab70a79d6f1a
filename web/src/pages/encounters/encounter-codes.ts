import type { EncounterClass, EncounterStatus } from '../../api/encounters';

/** The codes a visit carries, with the words a registrar knows them by. */

export const CLASS_LABELS: Record<EncounterClass, string> = {
  inpatient: 'Inpatient',
  outpatient: 'Outpatient',
  emergency: 'Emergency',
  observation: 'Observation',
  day_surgery: 'Day surgery',
};

export const STATUS_LABELS: Record<EncounterStatus, string> = {
  planned: 'Pre-admitted',
  in_progress: 'In house',
  on_leave: 'On leave',
  finished: 'Discharged',
  cancelled: 'Cancelled',
};

/** HL7 table 0007, Admission type (PV1-4). */
export const ADMISSION_TYPES: Record<string, string> = {
  E: 'Emergency',
  U: 'Urgent',
  R: 'Routine',
  C: 'Elective',
  A: 'Accident',
  L: 'Labor and delivery',
  N: 'Newborn (birth in this hospital)',
};

/** HL7 table 0023, Admit source (PV1-14), the values HL7 suggests (the UB-04 point of origin). */
export const ADMIT_SOURCES: Record<string, string> = {
  '1': 'Physician referral',
  '2': 'Clinic referral',
  '3': 'HMO referral',
  '4': 'Transfer from a hospital',
  '5': 'Transfer from a skilled nursing facility',
  '6': 'Transfer from another health care facility',
  '7': 'Emergency room',
  '8': 'Court or law enforcement',
  '9': 'Information not available',
};

/** HL7 table 0112, Discharge disposition (PV1-36), the UB-04 patient discharge status codes. */
export const DISCHARGE_DISPOSITIONS: Record<string, string> = {
  '01': 'Discharged to home or self care (routine discharge)',
  '02': 'Transferred to another short-term general hospital',
  '03': 'Transferred to a skilled nursing facility',
  '04': 'Transferred to an intermediate care facility',
  '05': 'Transferred to another type of institution',
  '06': 'Discharged home under care of a home health service',
  '07': 'Left against medical advice',
  '09': 'Admitted as an inpatient to this hospital',
  '20': 'Expired',
  '21': 'Discharged to court or law enforcement',
  '43': 'Transferred to a federal health care facility',
  '50': 'Hospice, at home',
  '51': 'Hospice, in a medical facility',
  '62': 'Transferred to an inpatient rehabilitation facility',
  '63': 'Transferred to a long-term care hospital',
  '65': 'Transferred to a psychiatric hospital',
};

/** HL7 table 0069, Hospital service (PV1-10): the common ones; the hospital may use its own. */
export const HOSPITAL_SERVICES: Record<string, string> = {
  MED: 'Medical',
  SUR: 'Surgical',
  CAR: 'Cardiac',
  PUL: 'Pulmonary',
  URO: 'Urology',
  OBS: 'Obstetrics',
  PED: 'Pediatrics',
  PSY: 'Psychiatry',
};

export const EVENT_LABELS: Record<string, string> = {
  pre_admit: 'Pre-admitted',
  admit: 'Admitted',
  register: 'Registered',
  transfer: 'Transferred',
  change_class: 'Class changed',
  update: 'Details updated',
  leave: 'Left on leave of absence',
  return: 'Returned from leave',
  discharge: 'Discharged',
  cancel_admit: 'Admission cancelled',
  cancel_transfer: 'Transfer cancelled',
  cancel_discharge: 'Discharge cancelled',
};

/** "E — Emergency"; a code outside the table as it is. */
export function codeText(table: Record<string, string>, code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  return table[code] ? `${code} — ${table[code]}` : code;
}

/** Choices for a NativeSelect: an empty first choice, then each code with its label. */
export function codeChoices(table: Record<string, string>, empty: string) {
  return [{ value: '', label: empty }, ...Object.entries(table).map(([value, label]) => ({ value, label: `${value} — ${label}` }))];
}
