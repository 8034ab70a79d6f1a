import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind, type FieldError } from '../errors.js';

/** RFC 9457 problem details, as every /api error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

const STATUS: Record<ErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Not signed in' },
  forbidden: { status: 403, title: 'Not permitted' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  locked: { status: 423, title: 'Locked' },
  gone: { status: 410, title: 'Gone' },
  'too-large': { status: 413, title: 'Too large' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
};

export const PROBLEM_TYPE_BASE = 'https://chartroom.dev/problems/';

/**
 * Turns any error into a DomainError: ours pass through; Fastify's and zod's are named; anything
 * else becomes an internal error whose message is never shown (it could hold data).
 */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fieldErrors: FieldError[] = err.validation.map((v) => {
      const path = v.instancePath.split('/').filter(Boolean);
      const keys = (v.params as { keys?: string[] }).keys;
      const field = [...path, ...(keys?.length ? [keys.join(',')] : [])].join('.');
      return { field: field || String(err.validationContext ?? 'body'), message: v.message ?? 'Invalid value.' };
    });
    return new DomainError('invalid', 'request.invalid', fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; '), fieldErrors);
  }
  const fe = err as FastifyError;
  if (fe && typeof fe === 'object' && 'code' in fe) {
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new DomainError('too-large', 'request.too-large', 'The request body is larger than the server accepts.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new DomainError('invalid', 'request.invalid', 'This content type is not accepted here; send application/json.');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return new DomainError('invalid', 'request.invalid', 'The request body is empty; send a JSON object.');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return new DomainError('invalid', 'request.invalid', 'The request body is not valid JSON.');
    }
  }
  if (fe?.statusCode === 429) return new DomainError('rate-limited', 'rate-limited', 'Too many attempts. Wait a minute and try again.');
  if (fe instanceof SyntaxError || (fe?.statusCode === 400 && fe?.name === 'SyntaxError')) {
    return new DomainError('invalid', 'request.invalid', 'The request body is not valid JSON.');
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new DomainError('invalid', 'request.invalid', 'The request could not be read.');
  }
  if (isResponseSerializationError(err)) return new DomainError('internal', 'internal', 'Something went wrong on the server.');
  return new DomainError('internal', 'internal', 'Something went wrong on the server. The error has been logged.');
}

export function problemFor(err: DomainError, req: FastifyRequest): Problem {
  const { status, title } = STATUS[err.kind];
  return {
    type: PROBLEM_TYPE_BASE + err.code,
    title,
    status,
    code: err.code,
    detail: err.detail,
    instance: req.url.split('?')[0],
    ...(err.fieldErrors.length ? { errors: err.fieldErrors } : {}),
    ...err.extensions,
    requestId: String(req.id),
  };
}

/** Logs what an engineer needs (the kind, the code, the stack below the message) and nothing a patient said. */
export function describeForLog(err: unknown): Record<string, unknown> {
  const e = err as Error & { code?: string };
  const frames = (e?.stack ?? '').split('\n').slice(1, 12).join('\n');
  return { type: e?.name ?? typeof err, code: e?.code, stack: frames };
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: unknown) {
  const domain = toDomainError(err);
  if (domain.kind === 'internal') req.log.error({ err: describeForLog(err) }, 'request failed');
  const problem = problemFor(domain, req);
  if (domain.code === 'rate-limited') reply.header('retry-after', '60');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
