import type * as fhir4 from 'fhir/r4.js';
import { z } from 'zod';
import {
  FILING_STATUSES, LOINC_SYSTEM, SENSITIVITY_CATEGORIES, findDocumentType,
  type DocumentIndexing, type DocumentFile, type DocumentView, type SensitivityCategory,
} from '../../documents/index.js';
import type { MappingIssue } from './patient-mapping.js';

export const DOCUMENT_SYSTEM = {
  /** Our categories (document-types.ts); `clinical-note` also carries the US Core code. */
  category: 'https://chartroom.dev/fhir/CodeSystem/document-category',
  usCoreCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  sensitivity: 'https://chartroom.dev/fhir/CodeSystem/sensitivity',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
} as const;
export const AUTHENTICATED_AT_EXTENSION = 'https://chartroom.dev/fhir/StructureDefinition/authenticated-at';

/** Our sensitivity categories -> HL7 v3 ActCode information-sensitivity codes, where one fits. */
const ACT_CODES: Partial<Record<SensitivityCategory, string>> = {
  'substance-use-disorder': 'ETH', 'psychotherapy-notes': 'PSYTHPN', 'hiv-sti': 'HIV', 'mental-health': 'PSY', genetic: 'GDIS', 'reproductive-health': 'SEX',
};

/** The Binary that holds one version's content. */
export const binaryIdOf = (documentId: string, version: number) => `${documentId}.${version}`;
export function parseBinaryId(id: string): { documentId: string; version: number } | undefined {
  const m = /^([A-Za-z0-9-]{1,60})\.(\d{1,6})$/.exec(id);
  return m ? { documentId: m[1], version: Number(m[2]) } : undefined;
}

/** A document as a FHIR R4 DocumentReference: status is the reference's (current or entered-in-error), docStatus ours. */
export function documentToFhir(d: DocumentView): fhir4.DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: d.id,
    meta: { versionId: String(d.version), lastUpdated: d.updatedAt },
    status: d.status === 'entered-in-error' ? 'entered-in-error' : 'current',
    // A destroyed document (retention) has no FHIR docStatus; its content is gone.
    docStatus: d.status === 'destroyed' ? undefined : d.status,
    type: { coding: [{ system: LOINC_SYSTEM, code: d.type.code, display: d.type.display }], text: d.type.display },
    category: [{
      coding: [
        ...(d.type.category === 'clinical-note' ? [{ system: DOCUMENT_SYSTEM.usCoreCategory, code: 'clinical-note', display: 'Clinical Note' }] : []),
        { system: DOCUMENT_SYSTEM.category, code: d.type.category },
      ],
    }],
    subject: { reference: `Patient/${d.patientId}` },
    date: d.createdAt,
    ...(d.author ? { author: [{ display: d.author }] } : {}),
    ...(d.authentication ? {
      authenticator: {
        display: d.authentication.signedBy,
        extension: [{ url: AUTHENTICATED_AT_EXTENSION, valueDateTime: d.authentication.signedAt }],
      },
    } : {}),
    ...(d.title ? { description: d.title } : {}),
    ...(d.sensitivity.length ? {
      securityLabel: d.sensitivity.map((s) => ({
        coding: [{ system: DOCUMENT_SYSTEM.sensitivity, code: s }, ...(ACT_CODES[s] ? [{ system: DOCUMENT_SYSTEM.actCode, code: ACT_CODES[s] }] : [])],
      })),
    } : {}),
    content: [{
      attachment: {
        contentType: d.content.contentType, url: `Binary/${binaryIdOf(d.id, d.version)}`, size: d.content.size,
        title: d.content.fileName, creation: d.content.createdAt,
      },
    }],
    context: {
      ...(d.encounterId ? { encounter: [{ reference: `Encounter/${d.encounterId}` }] } : {}),
      period: { start: d.serviceDate },
    },
  };
}

const coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const reference = (type: string) => z.object({ reference: z.string().regex(new RegExp(`^${type}/[A-Za-z0-9\\-.]{1,64}$`), `Must be ${type}/<id>.`) });

/** The part of a DocumentReference that Chartroom files a document from. */
const DocumentReferenceShape = z.object({
  resourceType: z.literal('DocumentReference'),
  status: z.literal('current', 'A new document reference is current.').optional(),
  docStatus: z.enum(FILING_STATUSES, 'A new document is preliminary or final.').optional(),
  type: z.object({ coding: z.array(coding).min(1) }, 'The LOINC document type is required.'),
  subject: reference('Patient'),
  description: z.string().trim().min(1).max(200).optional(),
  author: z.array(z.object({ display: z.string().trim().min(1).max(200) })).max(1, 'One author, by display name.').optional(),
  authenticator: z.object({
    display: z.string().trim().min(1).max(200),
    extension: z.array(z.object({ url: z.string(), valueDateTime: z.iso.datetime({ offset: true }).optional() })).optional(),
  }).optional(),
  securityLabel: z.array(z.object({ coding: z.array(coding).min(1) })).max(20).optional(),
  context: z.object({
    encounter: z.array(reference('Encounter')).max(1).optional(),
    period: z.object({ start: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'The date of service (YYYY-MM-DD).') }, 'The date of service is required (context.period.start).'),
  }, 'The date of service is required (context.period.start).'),
  content: z.array(z.object({
    attachment: z.object({
      contentType: z.string().min(1).max(100),
      data: z.string({ error: 'The content must be inline (attachment.data, base64); a Binary reference is not supported yet.' }).regex(/^[A-Za-z0-9+/\r\n]*={0,2}$/, 'Not base64.'),
      title: z.string().trim().min(1).max(200).optional(),
    }),
  })).length(1, 'Exactly one content attachment.'),
});

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/tiff': 'tif', 'image/jpeg': 'jpg', 'image/png': 'png' };

export type MappedDocument = { ok: true; indexing: DocumentIndexing; file: DocumentFile } | { ok: false; issues: MappingIssue[] };

/** A DocumentReference (create) -> what fileDocument needs; every problem found at once, by FHIRPath. */
export function documentFromFhir(body: unknown): MappedDocument {
  const parsed = DocumentReferenceShape.safeParse(body);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ expression: ['DocumentReference', ...i.path.filter((p) => typeof p === 'string')].join('.'), diagnostics: i.message })) };
  }
  const r = parsed.data;
  const issues: MappingIssue[] = [];
  const loinc = r.type.coding.find((c) => c.system === LOINC_SYSTEM && c.code && findDocumentType(c.code));
  if (!loinc) issues.push({ expression: 'DocumentReference.type', diagnostics: 'A LOINC document code Chartroom knows is required.' });
  const sensitivity: SensitivityCategory[] = [];
  for (const label of r.securityLabel ?? []) {
    const ours = label.coding.find((c) => c.system === DOCUMENT_SYSTEM.sensitivity && (SENSITIVITY_CATEGORIES as readonly string[]).includes(c.code ?? ''))?.code as SensitivityCategory | undefined;
    const fromActCode = Object.entries(ACT_CODES).find(([, code]) => label.coding.some((c) => c.system === DOCUMENT_SYSTEM.actCode && c.code === code))?.[0] as SensitivityCategory | undefined;
    const category = ours ?? fromActCode;
    if (category) sensitivity.push(category);
    else issues.push({ expression: 'DocumentReference.securityLabel', diagnostics: `Not a sensitivity Chartroom knows (${DOCUMENT_SYSTEM.sensitivity} or v3 ActCode ${Object.values(ACT_CODES).join(', ')}).` });
  }
  const signedAt = r.authenticator?.extension?.find((e) => e.url === AUTHENTICATED_AT_EXTENSION)?.valueDateTime;
  if (r.authenticator && !signedAt) issues.push({ expression: 'DocumentReference.authenticator', diagnostics: `When the document was signed is required (extension ${AUTHENTICATED_AT_EXTENSION}).` });
  if (!z.iso.date().safeParse(r.context.period.start.slice(0, 10)).success) issues.push({ expression: 'DocumentReference.context.period.start', diagnostics: 'Not a valid date.' });
  if (issues.length) return { ok: false, issues };
  const attachment = r.content[0].attachment;
  const contentType = attachment.contentType.split(';')[0].trim().toLowerCase();
  return {
    ok: true,
    indexing: {
      patientId: r.subject.reference.slice('Patient/'.length),
      encounterId: r.context.encounter?.[0]?.reference.slice('Encounter/'.length) ?? null,
      typeCode: loinc!.code!, title: r.description ?? null, author: r.author?.[0]?.display ?? null,
      serviceDate: r.context.period.start.slice(0, 10), status: r.docStatus ?? 'final',
      authentication: r.authenticator && signedAt ? { signedBy: r.authenticator.display, signedAt: new Date(signedAt).toISOString() } : null,
      sensitivity,
    },
    file: { bytes: Buffer.from(attachment.data, 'base64'), fileName: attachment.title ?? `document.${EXTENSIONS[contentType] ?? 'bin'}`, contentType },
  };
}
