/**
 * Medical record numbers: a configurable prefix, a zero-padded sequence and a Luhn (mod 10) check
 * digit, so a mistyped digit or two swapped neighbours are caught wherever an MRN is typed.
 */
export const MRN_DIGITS = 8;

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit from the right, starting with the rightmost payload digit.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatMrn(prefix: string, sequence: number): string {
  const payload = String(sequence).padStart(MRN_DIGITS, '0');
  return `${prefix}${payload}${luhnCheckDigit(payload)}`;
}

/** True when the text is an MRN of this installation: the prefix, digits, and a correct check digit. */
export function isValidMrn(prefix: string, text: string): boolean {
  const mrn = text.trim().toUpperCase();
  if (!mrn.startsWith(prefix.toUpperCase())) return false;
  const digits = mrn.slice(prefix.length);
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

/** Text that has the shape of one of our MRNs (prefix then digits), whether or not its check digit is right. */
export const looksLikeMrn = (prefix: string, text: string): boolean =>
  new RegExp(`^${prefix.replace(/[^A-Za-z0-9]/g, '')}\\d{${MRN_DIGITS},}$`, 'i').test(text.trim());
