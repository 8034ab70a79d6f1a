import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { DomainError, notFound } from '../platform/errors.js';
import { assertPatientReadable, getPatientRow, toPatientView, MARITAL_STATUSES, type PatientView } from '../patients/index.js';
import { findEncounterRow, toEncounterView, type EncounterView, type VisitProvider } from './visit-record.js';
import { unitNames } from './reference-data.js';
import { renderSheet, type Sheet } from '../platform/pdf/sheet.js';

const when = (iso: string | null | undefined): string | null => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : null);
const provider = (p: VisitProvider | null): string | null => (p ? [p.display, p.npi ? `NPI ${p.npi}` : null].filter(Boolean).join(' - ') : null);
const ageOn = (birthDate: string, on: Date): number => {
  const [y, m, d] = birthDate.split('-').map(Number);
  return on.getUTCFullYear() - y - (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d) ? 1 : 0);
};
const render = (ctx: AppContext, title: string, build: (sheet: Sheet) => void): Promise<Uint8Array> =>
  renderSheet({ title, organisation: ctx.config.facilityName, now: ctx.clock.now() }, build);

const CLASS_LABELS: Record<string, string> = { inpatient: 'Inpatient', outpatient: 'Outpatient', emergency: 'Emergency', observation: 'Observation', day_surgery: 'Day surgery' };

async function loadForPrint(ctx: AppContext, principal: Principal, encounterId: string, document: 'face_sheet' | 'discharge_record') {
  const row = await findEncounterRow(ctx.db, encounterId);
  if (!row) throw notFound('The visit');
  if (document === 'discharge_record' && row.status !== 'finished') {
    throw new DomainError('conflict', 'encounter.not-discharged', 'The patient has not been discharged from this visit.');
  }
  const patientRow = await getPatientRow(ctx.db, row.patientId);
  const emergency = await assertPatientReadable(ctx, principal, patientRow);
  const names = await unitNames(ctx.db);
  const stays = await ctx.db.selectFrom('encounterLocations').selectAll().where('encounterId', '=', encounterId).where('cancelled', '=', 0).orderBy('fromAt').execute();
  // Printing a record is its own audited event (ASTM E2147 "print").
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorOf(principal), action: 'print', patientId: row.patientId, recordType: document, recordId: encounterId, emergency }, ctx.clock),
  );
  return { encounter: toEncounterView(row), patient: toPatientView(patientRow), names, stays };
}

function patientSection(sheet: Sheet, p: PatientView, now: Date): void {
  sheet.section('Patient');
  const home = p.addresses.find((a) => a.use === 'home' && !a.until) ?? p.addresses[0];
  sheet.fields([
    ['Name', [p.family.toUpperCase() + ',', p.given, p.middle, p.suffix].filter(Boolean).join(' ')], ['MRN', p.mrn],
    ['Birth date', `${p.birthDate} (age ${ageOn(p.birthDate, now)})`], ['Sex', p.sex],
    ['Marital status', p.maritalStatus ? MARITAL_STATUSES[p.maritalStatus] : null], ['Language', [p.language, p.interpreterNeeded ? 'interpreter needed' : null].filter(Boolean).join(', ') || null],
    ['Address', home ? [home.line1, home.line2, home.city, home.state, home.postalCode].filter(Boolean).join(', ') : null],
    ['Phone', p.phones.map((ph) => `${ph.number} (${ph.use})`).join(', ') || null],
    ['SSN', p.ssnLast4 ? `***-**-${p.ssnLast4}` : null], ['Primary care', p.primaryCareProvider ?? null],
  ]);
}

function contactsAndInsurance(sheet: Sheet, p: PatientView): void {
  sheet.section('Contacts');
  if (!p.contacts.length) sheet.line('None recorded.');
  for (const c of p.contacts) sheet.line(`${c.name} - ${c.relationship}${c.emergencyContact ? ' (emergency contact)' : ''}${c.phone ? ` - ${c.phone}` : ''}`);
  if (p.guarantor) sheet.fields([['Guarantor', `${p.guarantor.name} (${p.guarantor.relationship})`], ['Guarantor phone', p.guarantor.phone ?? null]]);
  sheet.section('Insurance');
  if (!p.coverages.length) sheet.line('None recorded (self-pay).');
  for (const c of [...p.coverages].sort((a, b) => a.order - b.order)) {
    sheet.fields([
      [`Payer ${c.order}`, c.payer], ['Member id', c.memberId], ['Group', c.groupNumber ?? null],
      ['Subscriber', `${c.subscriberName ?? 'patient'} (${c.subscriberRelationship})`],
    ]);
  }
}

function visitSection(sheet: Sheet, e: EncounterView, names: Map<string, string>): void {
  sheet.section('Visit');
  const place = e.location ? [names.get(e.location.unit) ?? e.location.unit, e.location.room && `room ${e.location.room}`, e.location.bed && `bed ${e.location.bed}`].filter(Boolean).join(', ') : null;
  sheet.fields([
    ['Visit number', e.visitNumber], ['Class', CLASS_LABELS[e.class] ?? e.class],
    ['Admitted', when(e.admittedAt)], ['Planned', e.plannedAt ? when(e.plannedAt) : undefined],
    ['Service', e.service], ['Location', place],
    ['Admission type', e.admitType], ['Admission source', e.admitSource],
    ['Admitting', provider(e.admittingProvider)], ['Attending', provider(e.attendingProvider)],
    ['Reason', e.reason], ['Status', e.status.replace('_', ' ')],
  ]);
}

/** The admission face sheet: who the patient is, the visit, contacts and insurance, on one page. */
export async function printFaceSheet(ctx: AppContext, principal: Principal, encounterId: string): Promise<Uint8Array> {
  const { encounter, patient, names } = await loadForPrint(ctx, principal, encounterId, 'face_sheet');
  return render(ctx, 'Admission face sheet', (sheet) => {
    patientSection(sheet, patient, ctx.clock.now());
    visitSection(sheet, encounter, names);
    contactsAndInsurance(sheet, patient);
  });
}

/** The discharge record: the visit from admission to discharge, its beds, diagnoses and disposition (42 CFR 482.24(c)). */
export async function printDischargeRecord(ctx: AppContext, principal: Principal, encounterId: string): Promise<Uint8Array> {
  const { encounter, patient, names, stays } = await loadForPrint(ctx, principal, encounterId, 'discharge_record');
  return render(ctx, 'Discharge record', (sheet) => {
    patientSection(sheet, patient, ctx.clock.now());
    visitSection(sheet, encounter, names);
    sheet.section('Discharge');
    sheet.fields([['Discharged', when(encounter.dischargedAt)], ['Disposition', encounter.disposition], ['Discharged to', encounter.dischargedTo]]);
    sheet.section('Locations');
    for (const s of stays) sheet.line(`${when(s.fromAt)} to ${when(s.toAt) ?? 'now'}: ${names.get(s.unit) ?? s.unit}${s.room ? `, room ${s.room}` : ''}${s.bed ? `, bed ${s.bed}` : ''}`);
    sheet.section('Diagnoses');
    if (!encounter.diagnoses.length) sheet.line('None recorded.');
    for (const d of encounter.diagnoses) sheet.line([d.code, d.text].filter(Boolean).join(' - '));
    contactsAndInsurance(sheet, patient);
  });
}
