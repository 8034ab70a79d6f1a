import type { DocumentCategory, DocumentStatus, DocumentType, SensitivityCategory } from '../../api/documents';

export const CATEGORY_LABELS: Record<DocumentCategory, string> = {
  'clinical-note': 'Clinical notes', summary: 'Summaries', report: 'Reports', 'consent-and-legal': 'Consents and legal', administrative: 'Administrative',
};

export const STATUS_LABELS: Record<DocumentStatus, string> = {
  preliminary: 'Preliminary', final: 'Final', amended: 'Amended', 'entered-in-error': 'Entered in error',
};

/** Filled badge colours that keep white text readable. */
export const STATUS_COLOURS: Record<DocumentStatus, string> = {
  preliminary: 'yellow.9', final: 'teal.9', amended: 'blue.9', 'entered-in-error': 'red.9',
};

export const SENSITIVITY_LABELS: Record<SensitivityCategory, string> = {
  'substance-use-disorder': 'Substance use disorder (42 CFR Part 2)',
  'psychotherapy-notes': 'Psychotherapy notes',
  'hiv-sti': 'HIV and STI',
  'mental-health': 'Mental health',
  genetic: 'Genetic',
  'reproductive-health': 'Reproductive health',
  'minor-confidential': 'Minor (confidential)',
};

/** Document types grouped by category, as a native select's option groups. */
export function typeOptions(types: DocumentType[]) {
  return (Object.keys(CATEGORY_LABELS) as DocumentCategory[]).map((category) => ({
    group: CATEGORY_LABELS[category],
    items: types.filter((t) => t.category === category).map((t) => ({ value: t.code, label: `${t.display} (${t.code})` })),
  }));
}

export const formatSize = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;

/** Hands a file the server answered to the browser to save, under the name given. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** What the drop zone and the file pickers accept. */
export const ACCEPTED_FILES = '.pdf,.tif,.tiff,.jpg,.jpeg,.png,application/pdf,image/tiff,image/jpeg,image/png';
