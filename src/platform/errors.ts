/**
 * One error vocabulary for every capability. A DomainError carries a stable `code` for programs and a
 * `detail` for people; the HTTP layer maps it to problem+json, the FHIR layer to an OperationOutcome.
 * Details never carry patient data.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'locked'
  | 'gone'
  | 'too-large'
  | 'rate-limited'
  | 'internal';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: FieldError[] = [],
    /** Extra members of the problem document (RFC 9457 extensions), e.g. the suspected duplicates. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, detail: string, fieldErrors: FieldError[] = []) =>
  new DomainError('invalid', code, detail, fieldErrors);
export const unauthenticated = (code: string, detail: string) => new DomainError('unauthenticated', code, detail);
export const forbidden = (detail = 'Your role does not permit this.') =>
  new DomainError('forbidden', 'access.forbidden', detail);
export const notFound = (what: string) => new DomainError('not-found', 'not-found', `${what} was not found.`);
export const conflict = (code: string, detail: string, fieldErrors: FieldError[] = [], extensions: Record<string, unknown> = {}) =>
  new DomainError('conflict', code, detail, fieldErrors, extensions);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
