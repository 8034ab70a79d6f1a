import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/platform/clock.js';
import type { DialectName } from '../../src/platform/db/connection.js';
import type { SessionInfo } from '../../src/access/sessions.js';
import { useTestChartroom, type TestChartroom } from './chartroom.js';
import { createUserIn } from './accounts.js';

/**
 * Steps shared by the `*.int.test.ts` suites that drive the real Fastify app through `app.inject()`:
 * a Chartroom and its app per describe block, signing in (with or without MFA), and reading back the
 * audit events a request left.
 */

export interface TestApp {
  ctx: () => TestChartroom;
  app: () => FastifyInstance;
}

/** A fresh Chartroom (see useTestChartroom) and the HTTP app built on it, for one describe block. */
export function useTestApp(dialect: DialectName, overrides: Partial<Config> = {}): TestApp {
  const ctx = useTestChartroom(dialect, overrides);
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    // No web app: these suites drive the API only.
    app = await buildApp(ctx(), { webDir: '/nonexistent-web-dir' });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    ctx,
    app: () => {
      if (!app) throw new Error('The test app is not built yet.');
      return app;
    },
  };
}

/** A browser session as the web app holds it: the cookie to send back and the CSRF token for writes. */
export interface BrowserSession {
  token: string;
  cookie: string;
  csrfToken: string;
  info: SessionInfo;
}

export const SESSION_COOKIE = 'chartroom_session';

export function logIn(app: FastifyInstance, username: string, password: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });
}

/** Signs in with a password; the session may still be at an earlier stage than `active`. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<BrowserSession> {
  const res = await logIn(app, username, password);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('The log-in set no session cookie.');
  const info = res.json() as SessionInfo;
  return { token: cookie.value, cookie: `${SESSION_COOKIE}=${cookie.value}`, csrfToken: info.csrfToken, info };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request made with a session, carrying its CSRF token on writes as the web app does. */
export function send(
  app: FastifyInstance,
  session: BrowserSession,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { cookie: session.cookie, ...(WRITES.has(method) ? { 'x-csrf-token': session.csrfToken } : {}), ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

/** The 6-digit code an authenticator app would show now, by the server's (manual) clock. */
export function totpCode(secret: string, clock: Clock): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: clock.now().getTime() });
}

/** A 6-digit code that is wrong for this secret now, in the step before and in the step after. */
export function wrongTotpCode(secret: string, clock: Clock): string {
  const t = clock.now().getTime();
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp.generate({ timestamp: t + d })));
  for (let n = 0; ; n += 111_111) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** Enrols an authenticator for a session at stage `mfa_enrolment`; the session becomes `active`. */
export async function enrolMfa(app: FastifyInstance, ctx: TestChartroom, session: BrowserSession) {
  const start = await send(app, session, 'POST', '/api/auth/mfa/enrolment');
  expect(start.statusCode, start.body).toBe(200);
  const enrolment = start.json() as { secret: string; otpauthUri: string; qrDataUrl: string };
  const confirm = await send(app, session, 'POST', '/api/auth/mfa/enrolment/confirm', { code: totpCode(enrolment.secret, ctx.clock) });
  expect(confirm.statusCode, confirm.body).toBe(200);
  const { recoveryCodes, session: info } = confirm.json() as { recoveryCodes: string[]; session: SessionInfo };
  return { enrolment, recoveryCodes, info };
}

/**
 * Signs in with password and, when asked, a TOTP code of the next time step (the clock moves 30 s so
 * the code was never used before: the server refuses replays).
 */
export async function signInWithMfa(app: FastifyInstance, ctx: TestChartroom, username: string, password: string, secret?: string): Promise<BrowserSession> {
  const session = await signIn(app, username, password);
  if (session.info.stage !== 'mfa') return session;
  if (!secret) throw new Error(`${username} has MFA enrolled; give its secret.`);
  ctx.clock.advance(30_000);
  const res = await send(app, session, 'POST', '/api/auth/mfa/verify', { code: totpCode(secret, ctx.clock) });
  expect(res.statusCode, res.body).toBe(200);
  return { ...session, info: res.json() as SessionInfo };
}

export interface SignedInUser {
  id: string;
  username: string;
  password: string;
  session: BrowserSession;
  /** The TOTP secret, for roles that require MFA. */
  mfaSecret?: string;
  recoveryCodes?: string[];
}

/**
 * Creates a user with a known password and brings a session to `active`, enrolling MFA on the way
 * when the role requires it (admin, HIM supervisor, privacy officer).
 */
export async function signedInUser(app: FastifyInstance, ctx: TestChartroom, username: string, role: string): Promise<SignedInUser> {
  const password = 'Correct-horse-battery-9';
  const id = await createUserIn(ctx, { username, role, password });
  const session = await signIn(app, username, password);
  if (session.info.stage === 'mfa_enrolment') {
    const { enrolment, recoveryCodes, info } = await enrolMfa(app, ctx, session);
    return { id, username, password, session: { ...session, info }, mfaSecret: enrolment.secret, recoveryCodes };
  }
  expect(session.info.stage).toBe('active');
  return { id, username, password, session };
}

/** The audit events matching a filter, oldest first. */
export async function auditEventsWhere(ctx: TestChartroom, where: { action?: string; actorName?: string; recordId?: string; patientId?: string } = {}) {
  let q = ctx.db.selectFrom('auditEvents').selectAll().orderBy('seq');
  if (where.action) q = q.where('action', '=', where.action);
  if (where.actorName) q = q.where('actorName', '=', where.actorName);
  if (where.recordId) q = q.where('recordId', '=', where.recordId);
  if (where.patientId) q = q.where('patientId', '=', where.patientId);
  return q.execute();
}

export async function countRows(ctx: TestChartroom, table: 'users' | 'auditEvents' | 'sessions' | 'accessTokens' | 'emergencyAccessGrants'): Promise<number> {
  const { n } = await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** Asserts an RFC 9457 problem answer with this status and code, and returns it. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = res.json() as { type: string; title: string; status: number; code: string; detail: string; requestId: string; errors?: { field: string; message: string }[] };
  expect(problem.code).toBe(code);
  expect(problem.status).toBe(status);
  return problem;
}

/** The fields a problem's `errors` name. */
export const fieldsOf = (problem: { errors?: { field: string }[] }) => (problem.errors ?? []).map((e) => e.field);
