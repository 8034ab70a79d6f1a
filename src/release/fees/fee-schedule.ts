import { z } from 'zod';

/** Amounts are whole cents, never below zero. */
const cents = z.number().int('Whole cents.').min(0, 'A fee cannot be below zero.').max(10_000_000, 'Too large for a records fee.');

/** HHS's flat fee for an electronic copy of electronic records kept in electronic form (45 CFR 164.524(c)(4) guidance). */
export const FLAT_ELECTRONIC_MAX_CENTS = 650;

export const WAIVERS = ['continuity-of-care', 'government-benefits', 'indigent-patient'] as const;
export type Waiver = (typeof WAIVERS)[number];
export const WAIVER_LABELS: Record<Waiver, string> = {
  'continuity-of-care': 'Copies sent to another provider for the patient\'s treatment',
  'government-benefits': 'Copies supporting a claim for government benefits (e.g. Social Security disability, veterans\' benefits)',
  'indigent-patient': 'A patient unable to pay (recorded on the request)',
};

/**
 * The fee schedule a records department charges by. Two halves, because the law treats them apart:
 * a patient's (or personal representative's) own copy may carry only a cost-based fee for the labour
 * of copying, supplies, postage and an agreed summary — never search or retrieval (45 CFR
 * 164.524(c)(4)) — or a flat fee of up to $6.50 for electronic copies of electronic records; copies to
 * third parties, including those the patient directs (Ciox Health v. Azar, 2020), follow the state's
 * schedule.
 */
export const FeeSchedule = z.strictObject({
  patientCopy: z.strictObject({
    /** Charge the flat fee for electronic copies of records kept electronically (instead of per page). */
    flatElectronic: z.boolean(),
    flatElectronicCents: cents.max(FLAT_ELECTRONIC_MAX_CENTS, 'The flat fee for an electronic copy is at most $6.50.'),
    /** The labour of copying, per page, from the department's average-cost schedule. */
    labourPerPageCents: cents,
    /** Paper and toner, per paper page. */
    suppliesPerPageCents: cents,
    /** A CD or USB drive, when the patient asks for the copy on one. */
    portableMediaCents: cents,
    /** Preparing a summary in place of the record, when the patient agrees to it and its fee in advance. */
    summaryCents: cents,
  }),
  thirdParty: z.strictObject({
    /** The state's base (search and retrieval) fee. */
    baseCents: cents,
    /** Per-page charges in tiers: each applies up to its page (the last without a limit). */
    perPageTiers: z.array(z.strictObject({ upToPage: z.number().int().positive().nullable(), centsPerPage: cents })).min(1),
    /** Some states cap the fee for an electronic copy. */
    electronicCapCents: cents.nullable(),
    certificationCents: cents,
  }).superRefine((t, ctx) => {
    t.perPageTiers.forEach((tier, i) => {
      const last = i === t.perPageTiers.length - 1;
      if (last !== (tier.upToPage === null)) ctx.addIssue({ code: 'custom', path: ['perPageTiers', i, 'upToPage'], message: 'Only the last tier is without a page limit.' });
      const previous = t.perPageTiers[i - 1]?.upToPage;
      if (i > 0 && tier.upToPage !== null && previous !== null && previous !== undefined && tier.upToPage <= previous) {
        ctx.addIssue({ code: 'custom', path: ['perPageTiers', i, 'upToPage'], message: 'Tiers go up in page order.' });
      }
    });
  }),
  /** Requests charged nothing, whoever asks. */
  waivers: z.array(z.enum(WAIVERS)),
  /** Hold the release until the invoice is paid (never for treatment). */
  holdUntilPaid: z.boolean(),
});
export type FeeSchedule = z.infer<typeof FeeSchedule>;

/** A department's starting point: edit it to the state's schedule before charging anyone. */
export const DEFAULT_FEE_SCHEDULE: FeeSchedule = {
  patientCopy: { flatElectronic: true, flatElectronicCents: 650, labourPerPageCents: 10, suppliesPerPageCents: 5, portableMediaCents: 300, summaryCents: 0 },
  thirdParty: {
    baseCents: 2_500,
    perPageTiers: [{ upToPage: 25, centsPerPage: 100 }, { upToPage: 100, centsPerPage: 50 }, { upToPage: null, centsPerPage: 25 }],
    electronicCapCents: null,
    certificationCents: 1_000,
  },
  waivers: ['continuity-of-care', 'government-benefits'],
  holdUntilPaid: true,
};
