import type { TAuditActor } from "../audit/chain";
import { fail, type TFailure } from "../services/result";
import type { TRole } from "./permissions";

/** A signed-in person, as every service sees them: who they are, their role, and the sign-off roles they hold. */
export type TActor = { id: string; name: string; email: string; role: TRole; signOffRoles: string[] };

export function auditActor(actor: TActor): TAuditActor {
  return { type: "user", id: actor.id, name: `${actor.name} <${actor.email}>` };
}

/** What a service answers when the caller may not do this: 401 without a session, 403 without the permission. */
/** What a service answers when it refuses: lib/services/result.ts's failure, 401 without a session, 403 without the permission. */
export type TRefusal = TFailure;

export function refuse(actor: TActor | null, what: string): TRefusal {
  return actor ? fail(403, `${actor.role}s may not ${what}`) : fail(401, `sign in to ${what}`);
}
