import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

// Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);
export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  verify(passwordHash, password).catch(() => false);

/** A hash to verify against when the username is unknown, so the answer takes as long either way. */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword('decoy password for timing'));

const COMMON_PASSWORDS = new Set([
  'password', 'password1', 'password123', 'passw0rd', '123456789012', '1234567890', 'qwertyuiop', 'qwerty123456',
  'letmein', 'welcome', 'welcome123', 'iloveyou', 'admin', 'administrator', 'changeme', 'chartroom', 'hospital',
  'medical', 'records', 'p@ssw0rd', 'abc123', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
  'trustno1', 'summer2026', 'winter2026', 'spring2026', 'autumn2026', 'password2026', 'welcome2026',
]);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** NIST SP 800-63B: length over composition rules; refuse known-common and account-derived passwords. */
export function checkPasswordPolicy(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) problems.push('Do not include your username.');
  const stripped = lower.replace(/[^a-z0-9@]/g, '');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(stripped) || COMMON_PASSWORDS.has(stripped.replace(/\d+$/, ''))) {
    problems.push('This password is too common.');
  }
  if (/^(.)\1*$/.test(password)) problems.push('Do not repeat one character.');
  return problems;
}

const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password handed to a new user or after a reset; it must be changed at first log-in. */
export function generateTemporaryPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)];
  return out;
}
