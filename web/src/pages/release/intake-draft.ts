import type { BasisKind, LegalCase, NewRequest, ReleaseRequest, RequesterKind } from '../../api/release';
import type { PatientSearchResult } from '../../api/patients';

/** Everything the intake wizard holds, as the clerk types it; turned into the API's shape at the end. */
export interface IntakeDraft {
  patient: PatientSearchResult | null;
  receivedOn: string;
  channel: string;
  requesterKind: RequesterKind;
  requesterName: string;
  organization: string;
  address: string;
  email: string;
  phone: string;
  identityMethod: string;
  identityNote: string;
  authorityKind: string;
  authorityDocument: string;
  wholeRecordSet: boolean;
  billingRecords: boolean;
  from: string;
  to: string;
  documentTypes: string[];
  format: string;
  deliveryMethod: string;
  deliveryAddress: string;
  deliveryEmail: string;
  basisKind: BasisKind;
  purpose: string;
  auth: {
    informationDescription: string; discloser: string; recipient: string; purpose: string; expiresOn: string; expirationEvent: string;
    signedOn: string; signerKind: 'patient' | 'representative'; signerAuthority: string; rightToRevoke: boolean; conditioning: boolean;
    redisclosure: boolean; revokedOn: string; psychotherapyNotes: boolean; compoundWith: 'none' | 'psychotherapy-notes' | 'other'; sensitiveCategories: string[];
  };
  directed: { signedWrittenRequest: boolean; recipient: string };
  subpoena: { noticeToPatient: boolean; objectionPeriodLapsed: boolean; qualifiedProtectiveOrder: boolean };
  order: { wholeRecordSet: boolean; from: string; to: string; description: string };
  police: { process: string; relevantAndMaterial: boolean; specificAndLimited: boolean; deidentifiedNotReasonable: boolean; items: string[] };
  part2: { given: boolean; patientName: string; discloser: string; informationDescription: string; recipient: string; purpose: string; expiresOn: string; signedOn: string; rightToRevoke: boolean; redisclosure: boolean };
}

export const todayIso = (): string => new Date().toISOString().slice(0, 10);

export function emptyDraft(): IntakeDraft {
  return {
    patient: null, receivedOn: todayIso(), channel: 'mail', requesterKind: 'patient', requesterName: '', organization: '', address: '', email: '', phone: '',
    identityMethod: '', identityNote: '', authorityKind: '', authorityDocument: '',
    wholeRecordSet: true, billingRecords: false, from: '', to: '', documentTypes: [],
    format: 'pdf', deliveryMethod: 'mail', deliveryAddress: '', deliveryEmail: '', basisKind: 'right-of-access', purpose: '',
    auth: {
      informationDescription: '', discloser: '', recipient: '', purpose: '', expiresOn: '', expirationEvent: '', signedOn: '', signerKind: 'patient',
      signerAuthority: '', rightToRevoke: false, conditioning: false, redisclosure: false, revokedOn: '', psychotherapyNotes: false, compoundWith: 'none', sensitiveCategories: [],
    },
    directed: { signedWrittenRequest: false, recipient: '' },
    subpoena: { noticeToPatient: false, objectionPeriodLapsed: false, qualifiedProtectiveOrder: false },
    order: { wholeRecordSet: true, from: '', to: '', description: '' },
    police: { process: 'warrant', relevantAndMaterial: false, specificAndLimited: false, deidentifiedNotReasonable: false, items: [] },
    part2: { given: false, patientName: '', discloser: '', informationDescription: '', recipient: '', purpose: '', expiresOn: '', signedOn: '', rightToRevoke: false, redisclosure: false },
  };
}

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

function basisOf(d: IntakeDraft): LegalCase['basis'] {
  switch (d.basisKind) {
    case 'authorization': {
      const a = d.auth;
      return {
        kind: 'authorization',
        authorization: {
          informationDescription: orNull(a.informationDescription), discloser: orNull(a.discloser), recipient: orNull(a.recipient),
          purposes: a.purpose.trim() ? [a.purpose.trim()] : [], expiresOn: orNull(a.expiresOn), expirationEvent: orNull(a.expirationEvent),
          signedOn: orNull(a.signedOn), signer: { kind: a.signerKind, authority: orNull(a.signerAuthority) },
          statements: { rightToRevoke: a.rightToRevoke, conditioning: a.conditioning, redisclosure: a.redisclosure },
          revokedOn: orNull(a.revokedOn), psychotherapyNotes: a.psychotherapyNotes, compoundWith: a.compoundWith, sensitiveCategories: a.sensitiveCategories,
        },
      };
    }
    case 'patient-directed':
      return { kind: 'patient-directed', signedWrittenRequest: d.directed.signedWrittenRequest, recipient: orNull(d.directed.recipient) };
    case 'subpoena':
      return { kind: 'subpoena', ...d.subpoena };
    case 'court-order':
      return {
        kind: 'court-order', description: orNull(d.order.description),
        orderScope: { wholeRecordSet: d.order.wholeRecordSet, from: orNull(d.order.from), to: orNull(d.order.to), encounterIds: [], documentTypes: [], billingRecords: false },
      };
    case 'law-enforcement': {
      const p = d.police;
      return {
        kind: 'law-enforcement', process: p.process, identificationItems: p.process === 'identification' ? p.items : [],
        ...(p.process === 'administrative-request' ? { administrativeTest: { relevantAndMaterial: p.relevantAndMaterial, specificAndLimited: p.specificAndLimited, deidentifiedNotReasonable: p.deidentifiedNotReasonable } } : {}),
      };
    }
    default:
      return { kind: d.basisKind };
  }
}

/** The legal side of the draft, for the live checklist and the request. */
export function legalCaseOf(d: IntakeDraft): LegalCase {
  const c = d.part2;
  return {
    requester: { kind: d.requesterKind, name: d.requesterName.trim() || 'Not yet named', organization: orNull(d.organization), address: orNull(d.address), email: orNull(d.email), phone: orNull(d.phone) },
    purpose: orNull(d.purpose),
    basis: basisOf(d),
    part2Consent: c.given ? {
      patientName: orNull(c.patientName), discloser: orNull(c.discloser), informationDescription: orNull(c.informationDescription), recipient: orNull(c.recipient),
      purpose: orNull(c.purpose), expiresOn: orNull(c.expiresOn), signedOn: orNull(c.signedOn), statements: { rightToRevoke: c.rightToRevoke, redisclosure: c.redisclosure },
    } : null,
    identityVerification: d.identityMethod ? { method: d.identityMethod, note: orNull(d.identityNote) } : null,
    representativeAuthority: d.requesterKind === 'personal-representative' && d.authorityKind ? { kind: d.authorityKind, document: d.authorityDocument.trim() } : null,
    scope: { wholeRecordSet: d.wholeRecordSet, billingRecords: d.billingRecords, from: orNull(d.from), to: orNull(d.to), documentTypes: d.documentTypes, encounterIds: [] },
  };
}

export function newRequestOf(d: IntakeDraft): NewRequest {
  return {
    ...legalCaseOf(d), patientId: d.patient?.id ?? '', receivedOn: d.receivedOn, channel: d.channel, format: d.format,
    delivery: { method: d.deliveryMethod, address: orNull(d.deliveryAddress), email: orNull(d.deliveryEmail) },
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): boolean => v === true;

/** A stored request's legal side back into the wizard's draft, to correct it. */
export function draftFromRequest(r: ReleaseRequest): IntakeDraft {
  const d = emptyDraft();
  const b = r.basis as Record<string, unknown>;
  const a = (b.authorization ?? {}) as Record<string, unknown>;
  const signer = (a.signer ?? {}) as Record<string, unknown>;
  const statements = (a.statements ?? {}) as Record<string, unknown>;
  const order = (b.orderScope ?? {}) as Record<string, unknown>;
  const test = (b.administrativeTest ?? {}) as Record<string, unknown>;
  const c = (r.part2Consent ?? null) as Record<string, unknown> | null;
  const cs = (c?.statements ?? {}) as Record<string, unknown>;
  return {
    ...d,
    receivedOn: r.receivedOn, channel: r.channel, requesterKind: r.requester.kind, requesterName: r.requester.name,
    organization: r.requester.organization ?? '', address: r.requester.address ?? '', email: r.requester.email ?? '', phone: r.requester.phone ?? '',
    identityMethod: r.identityVerification?.method ?? '', identityNote: r.identityVerification?.note ?? '',
    authorityKind: r.representativeAuthority?.kind ?? '', authorityDocument: r.representativeAuthority?.document ?? '',
    wholeRecordSet: r.scope.wholeRecordSet, billingRecords: r.scope.billingRecords, from: r.scope.from ?? '', to: r.scope.to ?? '', documentTypes: r.scope.documentTypes,
    basisKind: r.basis.kind, purpose: r.purpose ?? '',
    auth: {
      informationDescription: str(a.informationDescription), discloser: str(a.discloser), recipient: str(a.recipient),
      purpose: Array.isArray(a.purposes) ? str(a.purposes[0]) : '', expiresOn: str(a.expiresOn), expirationEvent: str(a.expirationEvent), signedOn: str(a.signedOn),
      signerKind: signer.kind === 'representative' ? 'representative' : 'patient', signerAuthority: str(signer.authority),
      rightToRevoke: bool(statements.rightToRevoke), conditioning: bool(statements.conditioning), redisclosure: bool(statements.redisclosure),
      revokedOn: str(a.revokedOn), psychotherapyNotes: bool(a.psychotherapyNotes),
      compoundWith: a.compoundWith === 'other' || a.compoundWith === 'psychotherapy-notes' ? a.compoundWith : 'none',
      sensitiveCategories: Array.isArray(a.sensitiveCategories) ? (a.sensitiveCategories as string[]) : [],
    },
    directed: { signedWrittenRequest: bool(b.signedWrittenRequest), recipient: str(b.recipient) },
    subpoena: { noticeToPatient: bool(b.noticeToPatient), objectionPeriodLapsed: bool(b.objectionPeriodLapsed), qualifiedProtectiveOrder: bool(b.qualifiedProtectiveOrder) },
    order: { wholeRecordSet: order.wholeRecordSet !== false, from: str(order.from), to: str(order.to), description: str(b.description) },
    police: {
      process: str(b.process) || 'warrant', relevantAndMaterial: bool(test.relevantAndMaterial), specificAndLimited: bool(test.specificAndLimited),
      deidentifiedNotReasonable: bool(test.deidentifiedNotReasonable), items: Array.isArray(b.identificationItems) ? (b.identificationItems as string[]) : [],
    },
    part2: c ? {
      given: true, patientName: str(c.patientName), discloser: str(c.discloser), informationDescription: str(c.informationDescription), recipient: str(c.recipient),
      purpose: str(c.purpose), expiresOn: str(c.expiresOn), signedOn: str(c.signedOn), rightToRevoke: bool(cs.rightToRevoke), redisclosure: bool(cs.redisclosure),
    } : d.part2,
  };
}
