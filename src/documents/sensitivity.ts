/**
 * Sensitivity categories a document may carry. Each is a class of information that federal or state
 * law protects beyond HIPAA's baseline, so a release includes it only when the authorization names
 * it (see DOMAIN.md, Release of information).
 */
export const SENSITIVITY_CATEGORIES = [
  /** 42 CFR Part 2: substance-use-disorder treatment records; written consent, no redisclosure (2.32). */
  'substance-use-disorder',
  /** 45 CFR 164.501, 164.508(a)(2): psychotherapy notes; their own authorization, outside the right of access. */
  'psychotherapy-notes',
  /** State law: HIV and sexually transmitted infection test results and treatment. */
  'hiv-sti',
  /** State law: mental and behavioural health. */
  'mental-health',
  /** State law (and GINA): genetic testing. */
  'genetic',
  /** State law (and 45 CFR 164.502(a)(5)(iii), 2024): reproductive health care. */
  'reproductive-health',
  /** State law: care a minor consented to alone, kept from the parents. */
  'minor-confidential',
] as const;
export type SensitivityCategory = (typeof SENSITIVITY_CATEGORIES)[number];
