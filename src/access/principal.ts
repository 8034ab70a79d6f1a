import type { AuditActor } from '../audit/actions.js';
import { permissionsOf, type Permission } from './roles.js';

/** Who is making a request: a signed-in user or an API client, with the permissions of their role. */
export interface Principal {
  kind: 'user' | 'api_client';
  id: string;
  name: string;
  role: string;
  permissions: ReadonlySet<Permission>;
  sessionId?: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** Where a request came from, before anyone is known. */
export interface RequestOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

export function makePrincipal(kind: Principal['kind'], id: string, name: string, role: string, origin: RequestOrigin, sessionId?: string): Principal {
  return { kind, id, name, role, permissions: new Set(permissionsOf(role)), sessionId, ip: origin.ip, userAgent: origin.userAgent };
}

export const hasPermission = (p: Principal, permission: Permission): boolean => p.permissions.has(permission);

export function actorOf(p: Principal): AuditActor {
  return { type: p.kind, id: p.id, name: p.name, role: p.role, ip: p.ip, userAgent: p.userAgent };
}

export function anonymousActor(origin: RequestOrigin, name?: string): AuditActor {
  return { type: 'anonymous', name: name ?? null, ip: origin.ip, userAgent: origin.userAgent };
}
