import type { Problem } from './types';

/**
 * The one way the web app talks to the server: same-origin cookies, the CSRF token on writes,
 * and problem+json errors turned into ApiError with a sentence a person can read.
 */

export type SignedOutReason = 'session-expired' | 'session-required';

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `The request failed (status ${problem.status}).`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** Per-field messages keyed by the last segment of the field path (`body.username` -> `username`). */
  get fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const { field, message } of this.problem.errors ?? []) {
      const key = field.split(/[.[\]/]/).filter(Boolean).pop() ?? field;
      byField[key] = byField[key] ? `${byField[key]} ${message}` : message;
    }
    return byField;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SESSION_ENDED_CODES: Record<string, SignedOutReason> = {
  'auth.session-expired': 'session-expired',
  'auth.required': 'session-required',
};
// Reading the session does not extend the server's idle timer (docs/api.md), so it is not contact.
const NON_EXTENDING = new Set(['GET /api/auth/session']);

let csrfToken: string | undefined;
const signedOutListeners = new Set<(reason: SignedOutReason) => void>();
const contactListeners = new Set<(at: number) => void>();
// Tabs share one session cookie: a request from any tab extends the server's idle timer for all.
const contactChannel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('chartroom-server-contact');
contactChannel?.addEventListener('message', (event: MessageEvent<number>) => {
  for (const listener of contactListeners) listener(event.data);
});

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired or missing). */
export function onSignedOut(listener: (reason: SignedOutReason) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Called whenever a request reached the server and so extended the session's idle timer. */
export function onServerContact(listener: (at: number) => void): () => void {
  contactListeners.add(listener);
  return () => contactListeners.delete(listener);
}

function reportContact(): void {
  const at = Date.now();
  for (const listener of contactListeners) listener(at);
  contactChannel?.postMessage(at);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** 'blob' for a file answer (a PDF to download) instead of JSON. */
  responseType?: 'json' | 'blob';
}

/** `/api/x` plus the non-empty query values, in a stable order. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  // FormData (a file upload) sets its own multipart Content-Type with the boundary.
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'network',
      title: 'No connection',
      detail: 'Chartroom could not reach the server. Check your network connection and try again.',
    });
  }

  if (response.status !== 401 && !NON_EXTENDING.has(`${method} ${path}`)) reportContact();

  if (!response.ok) {
    const problem = await readProblem(response);
    const reason = problem.code ? SESSION_ENDED_CODES[problem.code] : undefined;
    if (response.status === 401 && reason) {
      for (const listener of signedOutListeners) listener(reason);
    }
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  if (options.responseType === 'blob') return (await response.blob()) as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return { ...body, status: body.status ?? response.status };
    } catch {
      // Fall through to the generic message: the body was not the JSON it claimed to be.
    }
  }
  return {
    status: response.status,
    title: response.statusText || 'Request failed',
    detail:
      response.status >= 500
        ? `The server could not complete the request (status ${response.status}). Try again in a moment.`
        : `The request was refused (status ${response.status}).`,
  };
}
