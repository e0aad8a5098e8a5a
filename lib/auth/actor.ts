import type { TAuditActor } from "../audit/chain";
import type { TRole } from "./permissions";

/** A signed-in person, as every service sees them: who they are, their role, and the sign-off roles they hold. */
export type TActor = { id: string; name: string; email: string; role: TRole; signOffRoles: string[] };

export function auditActor(actor: TActor): TAuditActor {
  return { type: "user", id: actor.id, name: `${actor.name} <${actor.email}>` };
}

/** What a service answers when the caller may not do this: 401 without a session, 403 without the permission. */
export type TRefusal = { ok: false; status: 400 | 401 | 403 | 404 | 409 | 422; error: string; fieldErrors?: Record<string, string[]> };

export function refuse(actor: TActor | null, what: string): TRefusal {
  return actor ? { ok: false, status: 403, error: `${actor.role}s may not ${what}` } : { ok: false, status: 401, error: `sign in to ${what}` };
}
