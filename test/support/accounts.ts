import { createUser } from '../../src/access/users.js';
import { SYSTEM_ACTOR } from '../../src/audit/actions.js';
import type { AppContext } from '../../src/context.js';
import type { TestServer } from './server.js';

/** Creates a user directly (no forced password change); returns its id. */
export async function createUserIn(ctx: AppContext, user: { username: string; role: string; password: string; displayName?: string }): Promise<string> {
  const { user: created } = await createUser(ctx, SYSTEM_ACTOR, { ...user, displayName: user.displayName ?? user.username });
  return created.id;
}

/** Creates a user on a running test server. Passwords must meet the policy (12+ characters). */
export function createUserOn(server: TestServer, user: { username: string; role: string; password: string; displayName?: string }): Promise<string> {
  return createUserIn(server.running.chartroom, user);
}

export { createUserOn as createUser };
