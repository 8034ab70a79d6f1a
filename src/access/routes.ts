import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf } from './principal.js';
import { originOf, principalOf, sessionOf, SESSION_COOKIE } from './request-auth.js';
import { describeSession, changePassword, logIn, logOut } from './sessions.js';
import { confirmMfaEnrolment, regenerateRecoveryCodes, startMfaEnrolment, verifyMfa } from './mfa.js';
import { createUser, listUsers, readUser, resetMfa, resetPassword, unlockUser, updateUser } from './users.js';
import { breakTheGlass, listEmergencyGrants, reviewEmergencyGrant } from './emergency-access.js';
import { ROLE_PERMISSIONS, ROLES } from './roles.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

const SessionInfoSchema = z.object({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), mfaEnrolled: z.boolean() }),
  stage: z.enum(['password_change', 'mfa_enrolment', 'mfa', 'active']),
  csrfToken: z.string(),
  idleTimeoutSeconds: z.number(),
  idleExpiresAt: z.string(),
  permissions: z.array(z.string()),
});
const UserSchema = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), active: z.boolean(), locked: z.boolean(),
  mfaEnrolled: z.boolean(), mustChangePassword: z.boolean(), lastLoginAt: z.string().nullable(), createdAt: z.string(),
});
const GrantSchema = z.object({
  id: z.string(), userId: z.string(), username: z.string(), patientId: z.string(), reason: z.string(), grantedAt: z.string(),
  expiresAt: z.string(), reviewedAt: z.string().nullable(), reviewedBy: z.string().nullable(), reviewNote: z.string().nullable(),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const password = z.string().min(1, 'Required.').max(PASSWORD_MAX_LENGTH);
const mfaCode = z.strictObject({ code: z.string().trim().min(6, 'Enter the 6-digit code or a recovery code.').max(32) });

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', maxAge: maxAgeSeconds,
  });
}

/** Signing in and out, MFA, accounts, roles and emergency access. */
export async function accessRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signInSteps = ['password_change', 'mfa_enrolment', 'mfa'] as const;
  const authRateLimit = { max: ctx.config.authRateLimitPerMinute, timeWindow: 60_000 };

  r.post('/auth/login', {
    config: { access: 'public', rateLimit: authRateLimit },
    schema: { tags: ['access'], summary: 'Sign in with username and password',
      body: z.strictObject({ username: z.string().trim().min(1, 'Required.').max(64), password }),
      response: { 200: SessionInfoSchema } },
  }, async (req, reply) => {
    const { token, session } = await logIn(ctx, req.body.username, req.body.password, originOf(req));
    setSessionCookie(req, reply, token, ctx.config.sessionMaxSeconds);
    return session;
  });

  r.get('/auth/session', {
    config: { access: { stages: [...signInSteps], sessionOnly: true, noTouch: true } },
    schema: { tags: ['access'], summary: 'The current session (does not extend it)', response: { 200: SessionInfoSchema } },
  }, async (req) => describeSession(ctx, sessionOf(req).row, sessionOf(req).user));

  r.post('/auth/keep-alive', {
    config: { access: { stages: [...signInSteps], sessionOnly: true } },
    schema: { tags: ['access'], summary: 'Extend the session (the user is still here)', response: { 200: SessionInfoSchema } },
  }, async (req) => describeSession(ctx, sessionOf(req).row, sessionOf(req).user));

  r.post('/auth/logout', {
    config: { access: { stages: [...signInSteps], sessionOnly: true } },
    schema: { tags: ['access'], summary: 'Sign out' },
  }, async (req, reply) => {
    await logOut(ctx, sessionOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  r.post('/auth/password', {
    config: { access: { stages: ['password_change'], sessionOnly: true }, rateLimit: authRateLimit },
    schema: { tags: ['access'], summary: 'Change your own password',
      body: z.strictObject({ currentPassword: password, newPassword: password }), response: { 200: SessionInfoSchema } },
  }, async (req) => changePassword(ctx, sessionOf(req), req.body.currentPassword, req.body.newPassword));

  r.post('/auth/mfa/enrolment', {
    config: { access: { stages: ['mfa_enrolment'], sessionOnly: true } },
    schema: { tags: ['access'], summary: 'Start setting up an authenticator app',
      response: { 200: z.object({ secret: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() }) } },
  }, async (req) => startMfaEnrolment(ctx, sessionOf(req)));

  r.post('/auth/mfa/enrolment/confirm', {
    config: { access: { stages: ['mfa_enrolment'], sessionOnly: true }, rateLimit: authRateLimit },
    schema: { tags: ['access'], summary: 'Confirm the authenticator with a first code', body: mfaCode,
      response: { 200: z.object({ recoveryCodes: z.array(z.string()), session: SessionInfoSchema }) } },
  }, async (req) => confirmMfaEnrolment(ctx, sessionOf(req), req.body.code));

  r.post('/auth/mfa/verify', {
    config: { access: { stages: ['mfa'], sessionOnly: true }, rateLimit: authRateLimit },
    schema: { tags: ['access'], summary: 'The second step of signing in', body: mfaCode, response: { 200: SessionInfoSchema } },
  }, async (req) => verifyMfa(ctx, sessionOf(req), req.body.code));

  r.post('/auth/mfa/recovery-codes', {
    config: { access: { sessionOnly: true } },
    schema: { tags: ['access'], summary: 'Replace your recovery codes', response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } },
  }, async (req) => ({ recoveryCodes: await regenerateRecoveryCodes(ctx, sessionOf(req)) }));

  r.get('/roles', {
    schema: { tags: ['access'], summary: 'Roles and their permissions',
      response: { 200: z.object({ roles: z.array(z.object({ role: z.string(), label: z.string(), requiresMfa: z.boolean(), permissions: z.array(z.string()) })) }) } },
  }, async () => ({ roles: ROLES.map((role) => ({ role, ...ROLE_PERMISSIONS[role] })) }));

  r.get('/users', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'List users', response: { 200: z.object({ users: z.array(UserSchema) }) } },
  }, async (req) => ({ users: await listUsers(ctx, actorOf(principalOf(req))) }));

  r.post('/users', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'Create a user with a temporary password',
      body: z.strictObject({ username: z.string().trim().min(2).max(64), displayName: z.string().trim().min(1, 'Required.').max(200), role: z.enum(ROLES) }),
      response: { 201: z.object({ user: UserSchema, temporaryPassword: z.string() }) } },
  }, async (req, reply) => {
    const { user, temporaryPassword } = await createUser(ctx, actorOf(principalOf(req)), req.body);
    return reply.code(201).send({ user, temporaryPassword: temporaryPassword! });
  });

  r.get('/users/:id', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: z.object({ user: UserSchema }) } },
  }, async (req) => ({ user: await readUser(ctx, actorOf(principalOf(req)), req.params.id) }));

  r.patch('/users/:id', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'Change a user', params: IdParams,
      body: z.strictObject({ displayName: z.string().trim().min(1).max(200).optional(), role: z.enum(ROLES).optional(), active: z.boolean().optional() }),
      response: { 200: z.object({ user: UserSchema }) } },
  }, async (req) => ({ user: await updateUser(ctx, actorOf(principalOf(req)), req.params.id, req.body) }));

  r.post('/users/:id/unlock', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'Unlock a locked-out user', params: IdParams, response: { 200: z.object({ user: UserSchema }) } },
  }, async (req) => ({ user: await unlockUser(ctx, actorOf(principalOf(req)), req.params.id) }));

  r.post('/users/:id/reset-password', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: 'Issue a new temporary password', params: IdParams, response: { 200: z.object({ temporaryPassword: z.string() }) } },
  }, async (req) => ({ temporaryPassword: (await resetPassword(ctx, actorOf(principalOf(req)), req.params.id)).temporaryPassword! }));

  r.post('/users/:id/reset-mfa', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags: ['users'], summary: "Remove a user's MFA (lost device)", params: IdParams, response: { 200: z.object({ user: UserSchema }) } },
  }, async (req) => ({ user: await resetMfa(ctx, actorOf(principalOf(req)), req.params.id) }));

  r.post('/emergency-access', {
    config: { access: { sessionOnly: true } },
    schema: { tags: ['access'], summary: "Break the glass: open one patient's record in an emergency",
      body: z.strictObject({ patientId: z.string().trim().min(1).max(64), reason: z.string().max(2000) }),
      response: { 201: z.object({ grant: GrantSchema }) } },
  }, async (req, reply) => reply.code(201).send({ grant: await breakTheGlass(ctx, principalOf(req), req.body.patientId, req.body.reason) }));

  r.get('/emergency-access', {
    config: { access: { permission: 'emergency_access.review' } },
    schema: { tags: ['access'], summary: 'Emergency access grants for review',
      querystring: z.strictObject({ status: z.enum(['pending', 'reviewed']).default('pending') }),
      response: { 200: z.object({ grants: z.array(GrantSchema) }) } },
  }, async (req) => ({ grants: await listEmergencyGrants(ctx, principalOf(req), req.query.status) }));

  r.post('/emergency-access/:id/review', {
    config: { access: { permission: 'emergency_access.review' } },
    schema: { tags: ['access'], summary: 'Record the review of an emergency access', params: IdParams,
      body: z.strictObject({ note: z.string().max(4000) }), response: { 200: z.object({ grant: GrantSchema }) } },
  }, async (req) => ({ grant: await reviewEmergencyGrant(ctx, principalOf(req), req.params.id, req.body.note) }));
}
