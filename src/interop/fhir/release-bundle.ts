import { createHash } from 'node:crypto';
import type * as fhir4 from 'fhir/r4.js';
import type { DocumentView } from '../../documents/index.js';
import type { PatientView } from '../../patients/index.js';
import { documentToFhir } from './document-mapping.js';
import { patientToFhir } from './patient-mapping.js';

/** One file of a released packet: the cover letter, a notice, or a released document (stamped, redacted). */
export interface ReleasedPart {
  kind: 'cover-letter' | 'notice' | 'document';
  title: string;
  pdf: Uint8Array;
  /** The filed document this part releases (documents only). */
  document?: DocumentView;
}

export interface ReleaseBundleInput {
  /** This server's FHIR base as the recipient would reach it, so fullUrls are absolute and references resolve. */
  base: string;
  patient: PatientView;
  requestId: string;
  mrnSystem: string;
  facilityName: string;
  now: Date;
  parts: ReleasedPart[];
  /** 42 CFR 2.32: the records carry the notice prohibiting redisclosure. */
  part2: boolean;
}

const LOINC = 'http://loinc.org';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Release packets' own parts (cover letter, notices), which are not filed documents of the chart. */
const RELEASE_PART_SYSTEM = 'https://chartroom.dev/fhir/CodeSystem/release-packet-part';
const RELEASE_REQUEST_SYSTEM = 'urn:chartroom:release-request';

function attachment(part: ReleasedPart, fileName: string): fhir4.Attachment {
  const bytes = Buffer.from(part.pdf);
  return {
    contentType: 'application/pdf', data: bytes.toString('base64'), size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'), title: fileName,
  };
}

/**
 * The patient: only who the records are about (MRN, legal name, sex, birth date), never the rest of
 * the demographics, so the Bundle discloses no more than the packet does (minimum necessary).
 */
function releasedPatient(input: ReleaseBundleInput): fhir4.Patient {
  const full = patientToFhir(input.patient, { mrnSystem: input.mrnSystem });
  return {
    resourceType: 'Patient', id: full.id,
    identifier: full.identifier?.filter((i) => i.use === 'usual'),
    name: full.name?.filter((n) => n.use === 'official'),
    gender: full.gender, birthDate: full.birthDate,
  };
}

function partReference(part: ReleasedPart, index: number, input: ReleaseBundleInput, fileName: string): fhir4.DocumentReference {
  if (part.kind === 'document' && part.document) {
    const filed = documentToFhir(part.document);
    const { meta: _meta, ...rest } = filed;
    return { ...rest, content: [{ attachment: attachment(part, fileName) }] };
  }
  return {
    resourceType: 'DocumentReference',
    id: `${input.requestId}-part-${index + 1}`,
    status: 'current',
    // LOINC 51852-2 "Letter" for the cover letter; a notice is described in words.
    type: part.kind === 'cover-letter'
      ? { coding: [{ system: LOINC, code: '51852-2', display: 'Letter' }], text: part.title }
      : { coding: [{ system: RELEASE_PART_SYSTEM, code: 'notice' }], text: part.title },
    category: [{ coding: [{ system: RELEASE_PART_SYSTEM, code: part.kind }] }],
    subject: { reference: `Patient/${input.patient.id}` },
    date: input.now.toISOString(),
    author: [{ display: input.facilityName }],
    description: part.title,
    content: [{ attachment: attachment(part, fileName) }],
  };
}

/**
 * A released packet as a FHIR R4 `collection` Bundle (https://hl7.org/fhir/R4/bundle.html): the
 * patient (identity only), then one DocumentReference per part of the checked packet in packet order
 * (cover letter, notices, each released document) with its stamped and redacted PDF inline and the
 * SHA-1 hash FHIR defines for attachment.hash. The Bundle is labelled restricted, and with Part 2
 * records carries the 42 CFR Part 2 label too. Entries are addressed on `base`, so the references
 * inside (Patient/<id>) resolve within the Bundle.
 */
export function releaseBundle(input: ReleaseBundleInput, fileNames: string[]): fhir4.Bundle {
  const patient = releasedPatient(input);
  return {
    resourceType: 'Bundle',
    meta: {
      security: [
        { system: CONFIDENTIALITY, code: 'R', display: 'restricted' },
        ...(input.part2 ? [{ system: ACT_CODE, code: '42CFRPart2', display: '42 CFR Part2' }] : []),
      ],
    },
    identifier: { system: RELEASE_REQUEST_SYSTEM, value: input.requestId },
    type: 'collection',
    timestamp: input.now.toISOString(),
    entry: [
      { fullUrl: `${input.base}/Patient/${patient.id}`, resource: patient },
      ...input.parts.map((part, i): fhir4.BundleEntry => {
        const resource = partReference(part, i, input, fileNames[i]);
        return { fullUrl: `${input.base}/DocumentReference/${resource.id}`, resource };
      }),
    ],
  };
}
