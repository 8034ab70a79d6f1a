import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { DomainError, notFound } from '../platform/errors.js';
import { assertPatientReadable, getPatientRow, toPatientView, MARITAL_STATUSES, type PatientView } from '../patients/index.js';
import { findEncounterRow, toEncounterView, type EncounterView, type VisitProvider } from './visit-record.js';
import { unitNames } from './reference-data.js';

const PAGE = { width: 612, height: 792, margin: 48 }; // US Letter, points

/** Writes lines down a page, starting a new page when one fills; text the font cannot show becomes "?". */
class Sheet {
  private page!: PDFPage;
  private y = 0;
  private readonly charset: Set<number>;
  constructor(private readonly doc: PDFDocument, private readonly font: PDFFont, private readonly bold: PDFFont, private readonly header: string) {
    this.charset = new Set(font.getCharacterSet());
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    this.page.drawText(this.printable(this.header), { x: PAGE.margin, y: PAGE.height - 28, size: 8, font: this.font, color: rgb(0.3, 0.3, 0.3) });
  }
  printable(text: string): string {
    return [...text.normalize('NFC')].map((c) => (this.charset.has(c.codePointAt(0)!) ? c : '?')).join('');
  }
  private room(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }
  title(text: string): void {
    this.room(30);
    this.page.drawText(this.printable(text), { x: PAGE.margin, y: this.y - 18, size: 18, font: this.bold });
    this.y -= 30;
  }
  section(text: string): void {
    this.room(34);
    this.y -= 8;
    this.page.drawText(this.printable(text.toUpperCase()), { x: PAGE.margin, y: this.y - 11, size: 10, font: this.bold, color: rgb(0.1, 0.2, 0.45) });
    this.page.drawLine({ start: { x: PAGE.margin, y: this.y - 14 }, end: { x: PAGE.width - PAGE.margin, y: this.y - 14 }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 20;
  }
  /** Label and value pairs, two to a line. */
  fields(pairs: [string, string | null | undefined][]): void {
    const shown = pairs.filter(([, v]) => v !== undefined);
    const column = (PAGE.width - 2 * PAGE.margin) / 2;
    for (let i = 0; i < shown.length; i += 2) {
      this.room(14);
      shown.slice(i, i + 2).forEach(([label, value], j) => {
        const x = PAGE.margin + j * column;
        this.page.drawText(this.printable(`${label}:`), { x, y: this.y - 10, size: 9, font: this.bold });
        const labelWidth = this.bold.widthOfTextAtSize(`${label}: `, 9);
        this.page.drawText(this.fit(value || '-', column - labelWidth - 8, 9), { x: x + labelWidth, y: this.y - 10, size: 9, font: this.font });
      });
      this.y -= 14;
    }
  }
  line(text: string): void {
    this.room(13);
    this.page.drawText(this.fit(text, PAGE.width - 2 * PAGE.margin, 9), { x: PAGE.margin, y: this.y - 10, size: 9, font: this.font });
    this.y -= 13;
  }
  private fit(text: string, width: number, size: number): string {
    let t = this.printable(text);
    if (this.font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 1 && this.font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
    return `${t}...`;
  }

}

const when = (iso: string | null | undefined): string | null => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : null);
const provider = (p: VisitProvider | null): string | null => (p ? [p.display, p.npi ? `NPI ${p.npi}` : null].filter(Boolean).join(' - ') : null);
const ageOn = (birthDate: string, on: Date): number => {
  const [y, m, d] = birthDate.split('-').map(Number);
  return on.getUTCFullYear() - y - (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d) ? 1 : 0);
};
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

async function render(ctx: AppContext, title: string, build: (sheet: Sheet) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('Chartroom');
  doc.setCreationDate(ctx.clock.now());
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const sheet = new Sheet(doc, font, bold, `${ctx.config.facilityName} - ${title} - printed ${when(ctx.clock.now().toISOString())} - CONFIDENTIAL: protected health information`);
  sheet.title(`${ctx.config.facilityName}`);
  sheet.line(title);
  build(sheet);
  return doc.save();
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
