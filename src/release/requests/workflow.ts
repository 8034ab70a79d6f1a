/**
 * A release request's life: a pure table of allowed moves, checked in one place, inside the
 * transaction that locks the request.
 */
export const REQUEST_STATUSES = [
  'logged', 'validated', 'in_process', 'quality_check', 'released', 'denied', 'cancelled', 'pending_information',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const STATUS_LABELS: Record<RequestStatus, string> = {
  logged: 'Logged', validated: 'Validated', in_process: 'In process', quality_check: 'Quality check', released: 'Released',
  denied: 'Denied', cancelled: 'Cancelled', pending_information: 'Pending information',
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['logged', 'validated', 'in_process', 'quality_check', 'pending_information'];
export const isOpen = (s: RequestStatus): boolean => OPEN_STATUSES.includes(s);

/**
 * Allowed moves. `released` is reached only from the release packet step (releaseRequestWithPacket),
 * never through a plain status change; `denied` only with a ground (denyRequest); a reviewer's
 * overturning of a denial moves it back to `validated` (reviewDenial).
 */
export const VALID_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  logged: ['validated', 'pending_information', 'denied', 'cancelled'],
  pending_information: ['logged', 'denied', 'cancelled'],
  validated: ['in_process', 'pending_information', 'denied', 'cancelled'],
  in_process: ['quality_check', 'pending_information', 'denied', 'cancelled'],
  quality_check: ['in_process', 'released'],
  released: [],
  denied: ['validated'],
  cancelled: [],
};

/** Moves a clerk asks for by name; the others have their own functions. */
export const PLAIN_MOVES = ['validated', 'in_process', 'quality_check', 'pending_information', 'logged', 'cancelled'] as const;
export type PlainMove = (typeof PLAIN_MOVES)[number];

export const canMove = (from: RequestStatus, to: RequestStatus): boolean => VALID_TRANSITIONS[from].includes(to);

export class InvalidStateTransition extends Error {
  constructor(readonly from: RequestStatus, readonly to: RequestStatus) {
    super(`A request that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}.`);
  }
}

export function assertMove(from: RequestStatus, to: RequestStatus): void {
  if (!canMove(from, to)) throw new InvalidStateTransition(from, to);
}
