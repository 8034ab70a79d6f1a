import { pino, type Logger } from 'pino';

/**
 * Paths that could hold personal or secret data, removed from every log line. Request and response
 * bodies are never logged; URLs carry no PHI by design (ids only), and query strings are dropped.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'newPassword',
  'currentPassword',
  'client_secret',
  'body',
  'patient',
  'name',
  'ssn',
  'birthDate',
];

/**
 * A path segment that looks like a bearer secret (43+ base64url characters: a download link's
 * token) is masked, so a link in the log cannot be opened by whoever reads the log.
 */
export const withoutSecrets = (path: string): string => path.replace(/\/[A-Za-z0-9_-]{40,}(?=\/|$)/g, '/[secret]');

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: withoutSecrets(req.url.split('?')[0]),
        id: req.id,
      }),
    },
  });
}
