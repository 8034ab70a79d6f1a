import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent } from '../audit/trail.js';
import { addSeconds } from '../platform/clock.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { invalid, unauthenticated } from '../platform/errors.js';
import { isRole, ROLES } from './roles.js';
import { makePrincipal, type Principal, type RequestOrigin } from './principal.js';

/**
 * Other systems sign in as API clients with OAuth 2.0 client credentials (RFC 6749 section 4.4).
 * Secrets are 256-bit random values stored only as SHA-256 (a slow hash adds nothing to a secret of
 * that strength); access tokens are short-lived and stored only as their hash too.
 */
export async function createApiClient(ctx: AppContext, actor: AuditActor, name: string, role: string): Promise<{ client_id: string; client_secret: string }> {
  if (!isRole(role)) throw invalid('request.invalid', `The role must be one of: ${ROLES.join(', ')}.`, [{ field: 'role', message: 'Unknown role.' }]);
  if (!name.trim()) throw invalid('request.invalid', 'The client needs a name.', [{ field: 'name', message: 'Required.' }]);
  const clientId = `crc_${randomToken(12)}`;
  const clientSecret = randomToken(32);
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('apiClients')
      .values({ id, clientId, name: name.trim(), role, secretHash: sha256Hex(clientSecret), active: 1, createdAt: ctx.clock.now().toISOString() })
      .execute();
    await recordAuditEvent(trx, { actor, action: 'create', recordType: 'api_client', recordId: id, details: { role } }, ctx.clock);
  });
  return { client_id: clientId, client_secret: clientSecret };
}

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function issueAccessToken(ctx: AppContext, clientId: string, clientSecret: string, origin: RequestOrigin): Promise<IssuedToken> {
  const client = await ctx.db.selectFrom('apiClients').selectAll().where('clientId', '=', clientId).executeTakeFirst();
  const given = Buffer.from(sha256Hex(clientSecret), 'hex');
  const secretOk = client ? timingSafeEqual(given, Buffer.from(client.secretHash, 'hex')) : false;
  if (!client || !secretOk || client.active !== 1) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvent(trx, {
        actor: { type: 'anonymous', id: client?.id ?? null, name: clientId.slice(0, 64), ip: origin.ip, userAgent: origin.userAgent },
        action: 'token-refused', outcome: 'failure', recordType: 'api_client', recordId: client?.id ?? null,
      }, ctx.clock),
    );
    throw unauthenticated('auth.invalid-client', 'The client credentials are not valid.');
  }
  const token = randomToken(32);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accessTokens')
      .values({ id: sha256Hex(token), apiClientId: client.id, createdAt: now.toISOString(), expiresAt: addSeconds(now, ctx.config.tokenTtlSeconds).toISOString() })
      .execute();
    await recordAuditEvent(trx, {
      actor: { type: 'api_client', id: client.id, name: client.name, role: client.role, ip: origin.ip, userAgent: origin.userAgent },
      action: 'token-issued', recordType: 'api_client', recordId: client.id,
    }, ctx.clock);
  });
  return { access_token: token, token_type: 'Bearer', expires_in: ctx.config.tokenTtlSeconds };
}

/** The API client a bearer token belongs to; expired, unknown or revoked tokens are refused. */
export async function resolveAccessToken(ctx: AppContext, token: string, origin: RequestOrigin): Promise<Principal> {
  const row = await ctx.db
    .selectFrom('accessTokens')
    .innerJoin('apiClients', 'apiClients.id', 'accessTokens.apiClientId')
    .select(['apiClients.id as clientId', 'apiClients.name', 'apiClients.role', 'apiClients.active', 'accessTokens.expiresAt'])
    .where('accessTokens.id', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.active !== 1 || row.expiresAt <= ctx.clock.now().toISOString()) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvent(trx, {
        actor: { type: row ? 'api_client' : 'anonymous', id: row?.clientId ?? null, name: row?.name ?? null, role: row?.role ?? null, ip: origin.ip, userAgent: origin.userAgent },
        action: 'token-refused', outcome: 'failure', recordType: 'access_token',
        details: { reason: !row ? 'unknown' : row.active !== 1 ? 'client-disabled' : 'expired' },
      }, ctx.clock),
    );
    throw unauthenticated('auth.invalid-token', 'The access token is not valid or has expired.');
  }
  return makePrincipal('api_client', row.clientId, row.name, row.role, origin);
}
