import { ApiError } from '../api/client';

/**
 * The server's per-field messages for the fields this form has, renamed to the form's own field
 * names where they differ (`{ newPassword: 'newPassword' }`).
 */
export function fieldErrorsFor<Field extends string>(error: unknown, fields: Record<string, Field>): Partial<Record<Field, string>> {
  if (!(error instanceof ApiError)) return {};
  const found: Partial<Record<Field, string>> = {};
  for (const [serverField, message] of Object.entries(error.fieldErrors)) {
    const field = fields[serverField];
    if (field) found[field] = message;
  }
  return found;
}
