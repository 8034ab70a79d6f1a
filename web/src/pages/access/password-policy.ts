/** The password rules the server enforces, checked here first so the person sees them at once. */
export const PASSWORD_MIN_LENGTH = 12;

export const PASSWORD_POLICY_TEXT = [
  `At least ${PASSWORD_MIN_LENGTH} characters.`,
  'Without your username in it.',
  'Not a common or easily guessed password.',
];

/** Every rule the new password breaks that the browser can tell; the server checks the common-password list. */
export function checkNewPassword(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (username && password.toLowerCase().includes(username.trim().toLowerCase())) {
    return 'Do not include your username.';
  }
  return null;
}
