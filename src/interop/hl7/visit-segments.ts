import type { BedLocation, Diagnosis, EncounterClass, VisitDetails } from '../../encounters/index.js';
import type { Er7Reader } from './er7.js';
import { hl7Date, providerOf } from './data-types.js';

/** HL7 table 0004 (patient class) onto our visit classes; a class we do not keep is left unset. */
const PATIENT_CLASS: Record<string, EncounterClass> = { I: 'inpatient', B: 'inpatient', O: 'outpatient', R: 'outpatient', E: 'emergency' };

/** An allergy as AL1 gives it: kept in the message's parse result (the chart's allergy list is not ours). */
export interface Allergy {
  type: string | null;
  code: string | null;
  text: string | null;
  system: string | null;
  severity: string | null;
  reaction: string | null;
  identifiedOn: string | null;
}

export interface VisitFromMessage {
  /** PV1-19, the visit number. */
  visitNumber: string | null;
  details: VisitDetails;
  /** PV1-36 and PV1-37: discharge disposition and where to. */
  disposition: string | null;
  dischargedTo: string | null;
  /** PV1-44 and PV1-45. */
  admitAt: string | null;
  dischargeAt: string | null;
}

/** PL: point of care ^ room ^ bed. */
export function bedLocation(r: Er7Reader, rep: string | undefined): BedLocation | null {
  const unit = r.component(rep, 1);
  if (!unit) return null;
  return { unit, room: r.component(rep, 2) || null, bed: r.component(rep, 3) || null };
}

/** PV1, PV2 and DG1 onto the visit's details; undefined when the message has no PV1. */
export function visitFromMessage(r: Er7Reader, instant: (v: string) => string | undefined): VisitFromMessage | undefined {
  const pv1 = r.first('PV1');
  if (!pv1) return undefined;
  const pv2 = r.first('PV2');
  const details: VisitDetails = {};
  const cls = PATIENT_CLASS[r.value(pv1, 2).toUpperCase()];
  if (cls) details.class = cls;
  const location = bedLocation(r, r.repetitions(pv1, 3)[0]);
  if (location) details.location = location;
  if (r.value(pv1, 10)) details.service = r.value(pv1, 10);
  const attending = providerOf(r, r.repetitions(pv1, 7)[0]);
  if (attending) details.attendingProvider = attending;
  const admitting = providerOf(r, r.repetitions(pv1, 17)[0]);
  if (admitting) details.admittingProvider = admitting;
  if (r.value(pv1, 14)) details.admitSource = r.value(pv1, 14);
  if (r.value(pv1, 4)) details.admitType = r.value(pv1, 4);
  const reason = r.value(pv2, 3, 2) || r.value(pv2, 3, 1);
  if (reason) details.reason = reason;
  const diagnoses = r.all('DG1').map((dg1): Diagnosis => {
    const rep = r.repetitions(dg1, 3)[0];
    return { code: r.component(rep, 1) || null, text: r.component(rep, 2) || r.value(dg1, 4) || null, system: r.component(rep, 3) || r.value(dg1, 2) || null };
  }).filter((d) => d.code || d.text);
  if (diagnoses.length) details.diagnoses = diagnoses;
  return {
    visitNumber: r.value(pv1, 19) || null,
    details,
    disposition: r.value(pv1, 36) || null,
    dischargedTo: r.value(pv1, 37) || null,
    admitAt: instant(r.value(pv1, 44)) ?? null,
    dischargeAt: instant(r.value(pv1, 45)) ?? null,
  };
}

/** AL1: allergen (AL1-3), type (AL1-2), severity (AL1-4), reaction (AL1-5), identified (AL1-6). */
export function allergiesFromMessage(r: Er7Reader): Allergy[] {
  return r.all('AL1').map((al1) => {
    const allergen = r.repetitions(al1, 3)[0];
    return {
      type: r.value(al1, 2) || null,
      code: r.component(allergen, 1) || null,
      text: r.component(allergen, 2) || null,
      system: r.component(allergen, 3) || null,
      severity: r.value(al1, 4) || null,
      reaction: r.repetitions(al1, 5).map((rep) => r.component(rep, 1)).filter(Boolean).join('; ') || null,
      identifiedOn: hl7Date(r.value(al1, 6)) ?? null,
    };
  });
}
