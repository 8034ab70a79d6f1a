import { renderSheet } from '../../platform/pdf/sheet.js';

/** What a certificate of destruction records: what, when, who, how (docs/documents.md). */
export interface CertificateFacts {
  number: string;
  destroyedAt: string;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string;
  method: string;
  reason: string;
  documents: { id: string; type: string; serviceDate: string; mrn: string; eligibleFrom: string; versions: number; sha256: string }[];
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The certificate of destruction as a PDF, printed once when the destruction is approved and kept. */
export function renderDestructionCertificate(facts: CertificateFacts, organisation: string): Promise<Uint8Array> {
  return renderSheet({ title: `Certificate of destruction ${facts.number}`, organisation, now: new Date(facts.destroyedAt) }, (sheet) => {
    sheet.section('Destruction');
    sheet.fields([
      ['Certificate', facts.number], ['Destroyed', when(facts.destroyedAt)],
      ['Proposed by', facts.proposedBy], ['Proposed', when(facts.proposedAt)],
      ['Approved by', facts.approvedBy], ['Documents', String(facts.documents.length)],
    ]);
    sheet.fields([['Method', facts.method]]);
    sheet.fields([['Reason', facts.reason]]);
    sheet.section('Documents destroyed');
    for (const d of facts.documents) {
      sheet.line(`${d.id}  MRN ${d.mrn}  ${d.type}`);
      sheet.line(`    service ${d.serviceDate}, eligible from ${d.eligibleFrom}, ${d.versions} version(s)`);
      sheet.line(`    SHA-256 ${d.sha256}`);
    }
    sheet.gap(8);
    sheet.paragraph(
      'The documents above had passed their retention period under the retention schedule, were under no legal hold, and were ' +
      'destroyed with the approval recorded here. Their content was removed from the document store; their index (type, dates, ' +
      'patient, content hash) is kept as the record of what was destroyed.',
    );
  });
}
