import { Fieldset, Stack } from '@mantine/core';
import { BASIS_KINDS, IDENTIFICATION_ITEMS, LAW_ENFORCEMENT_PROCESSES, SENSITIVE_CATEGORIES, type BasisKind } from '../../api/release';
import type { IntakeDraft } from './intake-draft';
import { LongText, Select, Text, Tick, TickList } from './intake-fields';

type Set = (change: (d: IntakeDraft) => IntakeDraft) => void;

/** The legal basis and, for an authorization, its 164.508 checklist as the clerk reads the form. */
export function LegalBasisFields({ draft, set }: { draft: IntakeDraft; set: Set }) {
  const a = draft.auth;
  const auth = (change: Partial<IntakeDraft['auth']>) => set((d) => ({ ...d, auth: { ...d.auth, ...change } }));
  const ownRecord = draft.basisKind === 'right-of-access' || draft.basisKind === 'patient-directed';
  return (
    <Stack gap="sm">
      <Select label="Legal basis" value={draft.basisKind} onChange={(v) => set((d) => ({ ...d, basisKind: v as BasisKind }))} choices={BASIS_KINDS} />
      <LongText label="Purpose of the request" value={draft.purpose} onChange={(v) => set((d) => ({ ...d, purpose: v }))}
        description={ownRecord ? 'Leave empty: a patient asking for their own record is never asked why.' : 'Where the law requires one.'} />
      {draft.basisKind === 'authorization' && (
        <Fieldset legend="The authorization (45 CFR 164.508(c))">
          <Stack gap="xs">
            <LongText label="Description of the information" value={a.informationDescription} onChange={(v) => auth({ informationDescription: v })} />
            <Text label="Who may disclose" value={a.discloser} onChange={(v) => auth({ discloser: v })} />
            <Text label="Who may receive" value={a.recipient} onChange={(v) => auth({ recipient: v })} />
            <Text label="Purpose stated on the authorization" value={a.purpose} onChange={(v) => auth({ purpose: v })} />
            <Text label="Expiration date" type="date" value={a.expiresOn} onChange={(v) => auth({ expiresOn: v })} />
            <Text label="Expiration event" value={a.expirationEvent} onChange={(v) => auth({ expirationEvent: v })} />
            <Text label="Date signed" type="date" value={a.signedOn} onChange={(v) => auth({ signedOn: v })} />
            <Select label="Signed by" value={a.signerKind} onChange={(v) => auth({ signerKind: v as 'patient' | 'representative' })} choices={{ patient: 'The patient', representative: 'A personal representative' }} />
            {a.signerKind === 'representative' && <Text label="Representative's authority" value={a.signerAuthority} onChange={(v) => auth({ signerAuthority: v })} />}
            <Tick label="States the right to revoke in writing, and how" checked={a.rightToRevoke} onChange={(v) => auth({ rightToRevoke: v })} />
            <Tick label="States whether treatment or payment may be conditioned on signing" checked={a.conditioning} onChange={(v) => auth({ conditioning: v })} />
            <Tick label="States that redisclosed information may no longer be protected" checked={a.redisclosure} onChange={(v) => auth({ redisclosure: v })} />
            <Text label="Revoked on" type="date" value={a.revokedOn} onChange={(v) => auth({ revokedOn: v })} description="Only if the patient revoked it." />
            <Tick label="For psychotherapy notes" checked={a.psychotherapyNotes} onChange={(v) => auth({ psychotherapyNotes: v })} />
            <Select label="Combined with another authorization" value={a.compoundWith} onChange={(v) => auth({ compoundWith: v as IntakeDraft['auth']['compoundWith'] })}
              choices={{ none: 'No', 'psychotherapy-notes': 'Another psychotherapy-notes authorization', other: 'Another kind of authorization' }} />
            <TickList legend="Sensitive information the authorization names" choices={SENSITIVE_CATEGORIES} value={a.sensitiveCategories} onChange={(v) => auth({ sensitiveCategories: v })} />
          </Stack>
        </Fieldset>
      )}
      {draft.basisKind === 'patient-directed' && (
        <Fieldset legend="The patient's written direction">
          <Tick label="Signed written request" checked={draft.directed.signedWrittenRequest} onChange={(v) => set((d) => ({ ...d, directed: { ...d.directed, signedWrittenRequest: v } }))} />
          <Text label="Recipient named in the request" value={draft.directed.recipient} onChange={(v) => set((d) => ({ ...d, directed: { ...d.directed, recipient: v } }))} />
        </Fieldset>
      )}
      {draft.basisKind === 'subpoena' && (
        <Fieldset legend="Satisfactory assurance (45 CFR 164.512(e)(1)(ii))">
          <Stack gap="xs">
            <Tick label="Written notice to the patient was given" checked={draft.subpoena.noticeToPatient} onChange={(v) => set((d) => ({ ...d, subpoena: { ...d.subpoena, noticeToPatient: v } }))} />
            <Tick label="The time to object has lapsed" checked={draft.subpoena.objectionPeriodLapsed} onChange={(v) => set((d) => ({ ...d, subpoena: { ...d.subpoena, objectionPeriodLapsed: v } }))} />
            <Tick label="A qualified protective order" checked={draft.subpoena.qualifiedProtectiveOrder} onChange={(v) => set((d) => ({ ...d, subpoena: { ...d.subpoena, qualifiedProtectiveOrder: v } }))} />
          </Stack>
        </Fieldset>
      )}
      {draft.basisKind === 'court-order' && (
        <Fieldset legend="What the order expressly authorizes">
          <Stack gap="xs">
            <Tick label="The whole designated record set" checked={draft.order.wholeRecordSet} onChange={(v) => set((d) => ({ ...d, order: { ...d.order, wholeRecordSet: v } }))} />
            <Text label="Order covers from" type="date" value={draft.order.from} onChange={(v) => set((d) => ({ ...d, order: { ...d.order, from: v } }))} />
            <Text label="Order covers to" type="date" value={draft.order.to} onChange={(v) => set((d) => ({ ...d, order: { ...d.order, to: v } }))} />
            <LongText label="The order" value={draft.order.description} onChange={(v) => set((d) => ({ ...d, order: { ...d.order, description: v } }))} />
          </Stack>
        </Fieldset>
      )}
      {draft.basisKind === 'law-enforcement' && (
        <Fieldset legend="Law enforcement (45 CFR 164.512(f))">
          <Stack gap="xs">
            <Select label="Process" value={draft.police.process} onChange={(v) => set((d) => ({ ...d, police: { ...d.police, process: v } }))} choices={LAW_ENFORCEMENT_PROCESSES} />
            {draft.police.process === 'administrative-request' && (
              <>
                <Tick label="Relevant and material to a legitimate inquiry" checked={draft.police.relevantAndMaterial} onChange={(v) => set((d) => ({ ...d, police: { ...d.police, relevantAndMaterial: v } }))} />
                <Tick label="Specific and limited in scope" checked={draft.police.specificAndLimited} onChange={(v) => set((d) => ({ ...d, police: { ...d.police, specificAndLimited: v } }))} />
                <Tick label="De-identified information could not reasonably be used" checked={draft.police.deidentifiedNotReasonable} onChange={(v) => set((d) => ({ ...d, police: { ...d.police, deidentifiedNotReasonable: v } }))} />
              </>
            )}
            {draft.police.process === 'identification' && (
              <TickList legend="Items asked for" choices={IDENTIFICATION_ITEMS} value={draft.police.items} onChange={(v) => set((d) => ({ ...d, police: { ...d.police, items: v } }))} />
            )}
          </Stack>
        </Fieldset>
      )}
      <Tick label="A Part 2 consent for substance-use-disorder records came with the request" checked={draft.part2.given} onChange={(v) => set((d) => ({ ...d, part2: { ...d.part2, given: v } }))} />
      {draft.part2.given && <Part2Fields draft={draft} set={set} />}
    </Stack>
  );
}

function Part2Fields({ draft, set }: { draft: IntakeDraft; set: Set }) {
  const c = draft.part2;
  const p2 = (change: Partial<IntakeDraft['part2']>) => set((d) => ({ ...d, part2: { ...d.part2, ...change } }));
  return (
    <Fieldset legend="The Part 2 consent (42 CFR 2.31)">
      <Stack gap="xs">
        <Text label="Patient named on the consent" value={c.patientName} onChange={(v) => p2({ patientName: v })} />
        <Text label="Program or person who may disclose" value={c.discloser} onChange={(v) => p2({ discloser: v })} />
        <LongText label="SUD information described" value={c.informationDescription} onChange={(v) => p2({ informationDescription: v })} />
        <Text label="Recipient" value={c.recipient} onChange={(v) => p2({ recipient: v })} />
        <Text label="Purpose" value={c.purpose} onChange={(v) => p2({ purpose: v })} />
        <Text label="Consent expires on" type="date" value={c.expiresOn} onChange={(v) => p2({ expiresOn: v })} />
        <Text label="Consent signed on" type="date" value={c.signedOn} onChange={(v) => p2({ signedOn: v })} />
        <Tick label="States the right to revoke" checked={c.rightToRevoke} onChange={(v) => p2({ rightToRevoke: v })} />
        <Tick label="Carries the statement on redisclosure" checked={c.redisclosure} onChange={(v) => p2({ redisclosure: v })} />
      </Stack>
    </Fieldset>
  );
}
