import type * as fhir4 from 'fhir/r4.js';
import { PATIENT_SEARCH_PARAMETERS } from './patient-search.js';
import { ENCOUNTER_SEARCH_PARAMETERS } from './encounter-search.js';
import { DOCUMENT_SEARCH_PARAMETERS } from './document-search.js';
import { AUTHENTICATED_AT_EXTENSION, DOCUMENT_SYSTEM } from './document-mapping.js';
import { LOCATION_SYSTEM, VISIT_NUMBER_SYSTEM } from './encounter-mapping.js';
import { EXTENSION, US_CORE_PATIENT_PROFILE } from './terminology.js';

export const DUPLICATE_REASON_HEADER = 'x-chartroom-duplicate-reason';

/** Resources Chartroom versions, with no conditional interactions. */
const versionedWithoutConditionals = {
  versioning: 'versioned', readHistory: false, updateCreate: false, conditionalCreate: false,
  conditionalRead: 'not-supported', conditionalUpdate: false, conditionalDelete: 'not-supported',
} as const;

const searchParamsOf = (list: readonly { name: string; type: string; definition: string; documentation: string }[]) =>
  list.map((p) => ({ name: p.name, type: p.type as fhir4.CapabilityStatementRestResourceSearchParam['type'], definition: p.definition, documentation: p.documentation }));

/**
 * What Chartroom's FHIR R4 server does (https://hl7.org/fhir/R4/capabilitystatement.html), built from
 * the same lists the routes use, so the statement cannot drift from the behaviour.
 */
export function capabilityStatement(options: { baseUrl: string; softwareVersion: string; date: string }): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'Chartroom',
    kind: 'instance',
    software: { name: 'Chartroom', version: options.softwareVersion },
    implementation: { description: 'Chartroom master patient index, FHIR R4 facade', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: [],
    implementationGuide: ['http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Errors are OperationOutcome. Unknown search parameters are refused with 400 unless the request says Prefer: handling=lenient.',
        security: {
          cors: false,
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }] }],
          description:
            'API clients use OAuth 2.0 client credentials: POST /oauth2/token (grant_type=client_credentials, client_id, client_secret) ' +
            'answers a Bearer access token; send it as "Authorization: Bearer <token>". The client\'s role decides what it may do ' +
            '(patients.read to read and search, patients.write to create and update). Signed-in browser sessions work too. ' +
            'Every read of a patient, each search result included, is audited.',
        },
        interaction: [
          {
            code: 'transaction',
            documentation:
              'POST a Bundle of type transaction to the base URL: Patient creates (POST Patient, optional ifNoneExist) and updates ' +
              '(PUT Patient/<id>, ifMatch checked) all succeed together or none does; a failing entry is named in the OperationOutcome. ' +
              'Each create is checked for likely duplicates in the index and among the Bundle\'s other creates; the header ' +
              'X-Chartroom-Duplicate-Reason, or the extension ' + EXTENSION.duplicateReason + ' (valueString) on an entry\'s request, ' +
              'gives the reason to create anyway. urn:uuid fullUrl references between entries are not resolved.',
          },
          { code: 'batch', documentation: 'POST a Bundle of type batch to the base URL: each entry succeeds or fails on its own (batch-response).' },
        ],
        resource: [
          {
            type: 'Patient',
            profile: 'http://hl7.org/fhir/StructureDefinition/Patient',
            supportedProfile: [US_CORE_PATIENT_PROFILE],
            documentation:
              'Create checks for likely duplicates: when the MPI finds any, the create is refused with 409 (code duplicate) listing the ' +
              'candidate MRNs, unless the request carries the header X-Chartroom-Duplicate-Reason saying why a new record is right. ' +
              'Update without If-Match applies to the current version. The SSN and driver\'s licence are accepted but never returned.',
            interaction: [
              { code: 'read' },
              { code: 'vread' },
              { code: 'create', documentation: 'Conditional create with If-None-Exist (any search below). Header X-Chartroom-Duplicate-Reason overrides a suspected duplicate.' },
              { code: 'update', documentation: 'If-Match: W/"<version>" is checked (412 when stale); without it the current version is updated.' },
              { code: 'search-type' },
            ],
            versioning: 'versioned',
            readHistory: true,
            updateCreate: false,
            conditionalCreate: true,
            conditionalRead: 'not-supported',
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: PATIENT_SEARCH_PARAMETERS.map((p) => ({
              name: p.name,
              type: p.type,
              definition: p.definition,
              documentation: p.documentation,
            })),
            operation: [
              {
                name: 'match',
                definition: 'http://hl7.org/fhir/OperationDefinition/Patient-match',
                documentation: 'Input: resource (Patient), count, onlyCertainMatches. Entries carry search.score (0..1) and the match-grade extension (certain, probable, possible).',
              },
            ],
          },
          {
            type: 'Encounter',
            profile: 'http://hl7.org/fhir/StructureDefinition/Encounter',
            documentation:
              `A visit: identifier ${VISIT_NUMBER_SYSTEM} is the visit number; class is v3 ActCode (IMP, AMB, EMER, OBSENC, SS); ` +
              `locations are named by an identifier of system ${LOCATION_SYSTEM} (unit/room/bed), providers by NPI. ` +
              'Create admits (in-progress), pre-admits (planned) or records a whole visit (finished). Update brings the visit to the ' +
              'state the resource describes through the same events the admit, transfer and discharge screens use (a changed ' +
              'active location is a transfer); a change the visit\'s state does not allow is refused with 409. ' +
              'Permissions: encounters.read, encounters.write.',
            interaction: [
              { code: 'read' },
              { code: 'create' },
              { code: 'update', documentation: 'If-Match: W/"<version>" is checked (412 when stale).' },
              { code: 'search-type' },
            ],
            ...versionedWithoutConditionals,
            searchParam: searchParamsOf(ENCOUNTER_SEARCH_PARAMETERS),
          },
          {
            type: 'DocumentReference',
            profile: 'http://hl7.org/fhir/StructureDefinition/DocumentReference',
            documentation:
              'A document in the chart (PDF, TIFF, JPEG or PNG). type is a LOINC document code; category is ours ' +
              `(${DOCUMENT_SYSTEM.category}) and US Core clinical-note; docStatus is preliminary, final, amended or entered-in-error; ` +
              `context.period.start is the date of service; securityLabel carries sensitivity (${DOCUMENT_SYSTEM.sensitivity}, with v3 ActCode where one fits); ` +
              `authenticator.extension ${AUTHENTICATED_AT_EXTENSION} says when it was signed. Create takes the content inline ` +
              '(content[0].attachment.data, base64), checked like any upload (type, damage, encryption, size). Each version\'s content ' +
              'is the Binary named in content.attachment.url. Permissions: documents.read, documents.write.',
            interaction: [{ code: 'read' }, { code: 'create' }, { code: 'search-type' }],
            ...versionedWithoutConditionals,
            searchParam: searchParamsOf(DOCUMENT_SEARCH_PARAMETERS),
          },
          {
            type: 'Binary',
            profile: 'http://hl7.org/fhir/StructureDefinition/Binary',
            documentation: 'One version of a document\'s content, id <document id>.<version>: answered in its own content type, or as a Binary resource when Accept asks for FHIR JSON. Every read is audited. Permission: documents.read.',
            interaction: [{ code: 'read' }],
          },
        ],
      },
    ],
  };
}
