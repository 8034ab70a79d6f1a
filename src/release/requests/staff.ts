import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { listUsers } from '../../access/users.js';
import { permissionsOf } from '../../access/roles.js';

export interface StaffMember {
  id: string;
  name: string;
}

/** Who may be assigned requests (release.write) and who may review denials and quality checks (release.review). */
export async function listReleaseStaff(ctx: AppContext, principal: Principal): Promise<{ clerks: StaffMember[]; reviewers: StaffMember[] }> {
  const users = (await listUsers(ctx, actorOf(principal))).filter((u) => u.active);
  const holding = (permission: 'release.write' | 'release.review') =>
    users.filter((u) => permissionsOf(u.role).includes(permission)).map((u) => ({ id: u.id, name: u.displayName }));
  return { clerks: holding('release.write'), reviewers: holding('release.review') };
}
