import { Alert, Anchor, Button, Group, SimpleGrid, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PERMISSIONS } from '../../api/permissions';
import { usePatient, type Patient } from '../../api/patients';
import { FactSection, Facts } from '../../components/Facts';
import { useSession } from '../../session/SessionProvider';
import { VisitsSection } from '../encounters/VisitsSection';
import { DocumentsSection } from '../documents/DocumentsSection';
import { ReleaseRecordSections } from '../release/disclosures/ReleaseRecordSections';
import { ETHNICITIES, MARITAL_STATUSES } from './demographic-codes';
import { languageLabel } from './details-fields';
import { LegalHoldActions } from './LegalHoldActions';
import { MergesSection } from './MergesSection';
import { PatientBanner } from './PatientBanner';
import { PatientRecordGate } from './PatientRecordGate';
import { birthDateWithAge, formatDay, sexLabel } from './patient-format';
import {
  addressText, communicationText, contactText, coverageText, flagsText, guarantorText, identifierText, phoneText, previousNameText, raceText,
} from './value-text';

/** A patient's record at a glance: the banner, every part of the demographics, and the merges it took part in. */
export function PatientSummaryPage() {
  const { id = '' } = useParams();
  return <PatientRecordGate id={id}>{(patient) => <PatientSummary patient={patient} />}</PatientRecordGate>;
}

function PatientSummary({ patient }: { patient: Patient }) {
  const { hasPermission } = useSession();
  const base = `/patients/${encodeURIComponent(patient.id)}`;
  return (
    <Stack gap="md">
      <PatientBanner patient={patient} nameIsTitle />
      {patient.status === 'merged' && patient.mergedInto && <MergedNotice survivorId={patient.mergedInto} />}
      <Group gap="sm">
        {hasPermission(PERMISSIONS.patientsWrite) && patient.status === 'active' && (
          <Button component={Link} to={`${base}/edit`}>
            Edit
          </Button>
        )}
        <Button component={Link} to={`${base}/history`} variant="default">
          History
        </Button>
        {hasPermission(PERMISSIONS.patientsMerge) && <LegalHoldActions patient={patient} />}
        <Button component={Link} to="/patients" variant="subtle">
          Back to patient search
        </Button>
      </Group>

      <VisitsSection patient={patient} />
      <DocumentsSection patient={patient} />
      <ReleaseRecordSections patient={patient} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <FactSection id="summary-name" title="Name">
          <Facts
            items={[
              ['Given name', patient.given],
              ['Middle name', patient.middle],
              ['Family name', patient.family],
              ['Suffix', patient.suffix],
              ['Preferred name', patient.preferredName],
              ['Previous names', lines(patient.previousNames.map(previousNameText))],
            ]}
          />
        </FactSection>
        <FactSection id="summary-birth" title="Birth and sex">
          <Facts
            items={[
              ['Birth date', birthDateWithAge(patient.birthDate, patient.deathDate)],
              ['Sex', sexLabel(patient.sex)],
              ['Date of death', patient.deathDate ? formatDay(patient.deathDate) : undefined],
              ['Gender identity', patient.genderIdentity],
              ['Sexual orientation', patient.sexualOrientation],
            ]}
          />
        </FactSection>
        <FactSection id="summary-contact" title="Contact">
          <Facts
            items={[
              ['Addresses', lines(patient.addresses.map(addressText))],
              ['Phones', lines(patient.phones.map(phoneText))],
              ['E-mail', patient.email],
            ]}
          />
        </FactSection>
        <FactSection id="summary-identifiers" title="Identifiers">
          <Facts
            items={[
              ['MRN', patient.mrn],
              ['Social Security number', patient.ssnLast4 ? `On file, ending ${patient.ssnLast4}` : 'Not on file'],
              ["Driver's licence", patient.hasDriversLicence ? 'On file' : 'Not on file'],
              ['Other identifiers', lines(patient.identifiers.map(identifierText))],
            ]}
          />
        </FactSection>
        <FactSection id="summary-details" title="Demographic details">
          <Facts
            items={[
              ['Race', raceText(patient.race)],
              ['Ethnicity', patient.ethnicity ? (ETHNICITIES[patient.ethnicity] ?? patient.ethnicity) : undefined],
              ['Tribal affiliation', patient.tribalAffiliation],
              ['Preferred language', languageLabel(patient.language)],
              ['Interpreter', patient.interpreterNeeded ? 'Needs an interpreter' : undefined],
              ['Marital status', patient.maritalStatus ? (MARITAL_STATUSES[patient.maritalStatus] ?? patient.maritalStatus) : undefined],
              ['Occupation', patient.occupation],
              ['Industry', patient.industry],
              ['Primary care provider', patient.primaryCareProvider],
            ]}
          />
        </FactSection>
        <FactSection id="summary-related" title="Related persons and emergency contacts">
          <Facts items={[['Related persons', lines(patient.contacts.map(contactText))]]} />
        </FactSection>
        <FactSection id="summary-insurance" title="Insurance">
          <Facts
            items={[
              ['Coverages', lines(patient.coverages.map(coverageText))],
              ['Guarantor', patient.guarantor ? guarantorText(patient.guarantor) : undefined],
            ]}
          />
        </FactSection>
        <FactSection id="summary-preferences" title="Communication preferences and flags">
          <Facts
            items={[
              ['Communication', communicationText(patient.communication)],
              ['Flags', flagsText(patient.flags)],
              ['Legal hold', patient.legalHoldReason],
            ]}
          />
        </FactSection>
      </SimpleGrid>

      <MergesSection patient={patient} />
    </Stack>
  );
}

function MergedNotice({ survivorId }: { survivorId: string }) {
  const survivor = usePatient(survivorId);
  const to = `/patients/${encodeURIComponent(survivorId)}`;
  return (
    <Alert color="yellow" variant="light" title="This record was merged" role="status">
      {survivor.data ? `Merged into MRN ${survivor.data.mrn}` : 'Merged into another record'} —{' '}
      <Anchor component={Link} to={to}>
        open the surviving record
      </Anchor>
      . Use the surviving record for all new work; this one is kept for its history.
    </Alert>
  );
}

function lines(items: string[]): ReactNode {
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return (
    <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
      {items.map((item, index) => (
        <li key={`${index}:${item}`}>{item}</li>
      ))}
    </ul>
  );
}
