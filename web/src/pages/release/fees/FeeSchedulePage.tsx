import { Alert, Button, Checkbox, Group, Loader, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../../api/client';
import { WAIVER_KEYS, useFeeSchedule, useSaveFeeSchedule, type FeeSchedule } from '../../../api/fees';
import { PageTitle } from '../../../components/PageTitle';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime } from '../../../components/time';

/** A fee in dollars on the form, cents on the wire (a negative one is sent as is: the server names it). */
function Money({ label, cents, onChange, error }: { label: string; cents: number | null; onChange: (cents: number) => void; error?: string }) {
  return <NumberInput label={label} value={cents === null ? '' : cents / 100} decimalScale={2} fixedDecimalScale onChange={(v) => onChange(Math.round(Number(v || 0) * 100))} error={error} />;
}

/** The department's fee schedule: the patient's own copy, third parties, waivers, and holding the release until paid. */
export function FeeSchedulePage() {
  const saved = useFeeSchedule();
  const save = useSaveFeeSchedule();
  const [draft, setDraft] = useState<FeeSchedule | null>(null);
  useEffect(() => { if (saved.data && !draft) setDraft(saved.data.schedule); }, [saved.data, draft]);
  if (saved.error) return <Stack><PageTitle>Fee schedule</PageTitle><ProblemAlert error={saved.error} /></Stack>;
  if (!saved.data || !draft) return <Loader role="status" aria-label="Loading the fee schedule" />;
  // By the full path (thirdParty.perPageTiers.1.upToPage): the last segment alone repeats across tiers.
  const errors: Record<string, string> = Object.fromEntries(save.error instanceof ApiError ? (save.error.problem.errors ?? []).map((e) => [e.field, e.message]) : []);
  const p = draft.patientCopy;
  const t = draft.thirdParty;
  const patient = (k: keyof FeeSchedule['patientCopy'], v: number | boolean) => setDraft({ ...draft, patientCopy: { ...p, [k]: v } });
  const third = (k: keyof FeeSchedule['thirdParty'], v: unknown) => setDraft({ ...draft, thirdParty: { ...t, [k]: v } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  return (
    <Stack gap="md">
      <PageTitle>Fee schedule</PageTitle>
      <Text size="sm">{saved.data.version === 0 ? 'The default schedule: edit it to your state\'s schedule before charging anyone.' : `Version ${saved.data.version}, saved by ${saved.data.savedBy} on ${formatDateTime(saved.data.savedAt!)}.`}</Text>
      <form onSubmit={submit} aria-label="Fee schedule">
        <Stack gap="md">
          <Paper withBorder p="md" component="section" aria-labelledby="fees-patient">
            <Title order={2} size="h4" id="fees-patient">The patient's own copy (45 CFR 164.524(c)(4))</Title>
            <Text size="sm" mb="xs">Labour of copying, supplies, media and postage only; never a search or retrieval fee.</Text>
            <Checkbox label="Charge the flat fee for an electronic copy of electronic records" checked={p.flatElectronic} onChange={(e) => patient('flatElectronic', e.currentTarget.checked)} mb="xs" />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Money label="Flat electronic fee (at most $6.50)" cents={p.flatElectronicCents} onChange={(c) => patient('flatElectronicCents', c)} error={errors['patientCopy.flatElectronicCents']} />
              <Money label="Labour per page" cents={p.labourPerPageCents} onChange={(c) => patient('labourPerPageCents', c)} error={errors['patientCopy.labourPerPageCents']} />
              <Money label="Supplies per paper page" cents={p.suppliesPerPageCents} onChange={(c) => patient('suppliesPerPageCents', c)} error={errors['patientCopy.suppliesPerPageCents']} />
              <Money label="CD or USB drive" cents={p.portableMediaCents} onChange={(c) => patient('portableMediaCents', c)} error={errors['patientCopy.portableMediaCents']} />
              <Money label="Agreed summary" cents={p.summaryCents} onChange={(c) => patient('summaryCents', c)} error={errors['patientCopy.summaryCents']} />
            </SimpleGrid>
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="fees-third">
            <Title order={2} size="h4" id="fees-third">Third parties (the state schedule)</Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Money label="Base fee" cents={t.baseCents} onChange={(c) => third('baseCents', c)} error={errors['thirdParty.baseCents']} />
              <Money label="Certification" cents={t.certificationCents} onChange={(c) => third('certificationCents', c)} error={errors['thirdParty.certificationCents']} />
              <Money label="Cap for an electronic copy (empty: none)" cents={t.electronicCapCents} onChange={(c) => third('electronicCapCents', c || null)} error={errors['thirdParty.electronicCapCents']} />
            </SimpleGrid>
            {t.perPageTiers.map((tier, i) => (
              <SimpleGrid key={i} cols={{ base: 1, sm: 3 }} mt="xs">
                <NumberInput label={`Tier ${i + 1}: up to page (empty: no limit)`} value={tier.upToPage ?? ''} allowDecimal={false} error={errors[`thirdParty.perPageTiers.${i}.upToPage`]}
                  onChange={(v) => third('perPageTiers', t.perPageTiers.map((x, j) => (j === i ? { ...x, upToPage: v === '' ? null : Number(v) } : x)))} />
                <Money label={`Tier ${i + 1}: per page`} cents={tier.centsPerPage} error={errors[`thirdParty.perPageTiers.${i}.centsPerPage`]}
                  onChange={(c) => third('perPageTiers', t.perPageTiers.map((x, j) => (j === i ? { ...x, centsPerPage: c } : x)))} />
              </SimpleGrid>
            ))}
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="fees-policy">
            <Title order={2} size="h4" id="fees-policy">Waivers and payment</Title>
            {WAIVER_KEYS.map((w) => (
              <Checkbox key={w} mb={4} label={saved.data.waiverLabels[w]} checked={draft.waivers.includes(w)}
                onChange={(e) => setDraft({ ...draft, waivers: e.currentTarget.checked ? [...draft.waivers, w] : draft.waivers.filter((x) => x !== w) })} />
            ))}
            <Checkbox mt="xs" label="Hold the release until the invoice is paid (never for treatment)" checked={draft.holdUntilPaid} onChange={(e) => setDraft({ ...draft, holdUntilPaid: e.currentTarget.checked })} />
          </Paper>
          {save.error && <ProblemAlert error={save.error} />}
          {save.isSuccess && !save.isPending && <Alert color="teal" role="status">Saved as version {save.data.version}.</Alert>}
          <Group><Button type="submit" loading={save.isPending}>Save the fee schedule</Button></Group>
        </Stack>
      </form>
    </Stack>
  );
}
