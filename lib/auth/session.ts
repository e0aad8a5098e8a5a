import { headers } from "next/headers";
import { cache } from "react";
import { forbidden, redirect } from "next/navigation";
import { getPrisma } from "../db/client";
import type { TActor } from "./actor";
import { getAuth } from "./auth";
import { can, isRole, type TPermission } from "./permissions";

// The session of a page, server action or route handler. Every one of them asks here itself: a layout check
// alone would not cover route handlers or actions, which are public endpoints.

async function actorFromHeaders(source: Headers): Promise<TActor | null> {
  const session = await getAuth().api.getSession({ headers: source });
  if (!session) return null;
  // Role and sign-off roles are read fresh: a change by an admin counts at the next request, not the next sign-in.
  const user = await getPrisma().user.findUnique({ where: { id: session.user.id }, include: { signOffRoles: true } });
  if (!user || user.disabledAt || !isRole(user.role)) return null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    signOffRoles: user.signOffRoles.map((r) => r.role).sort(),
  };
}

/** The person of this request, looked up once per request however many components ask (React cache). */
export const getActor = cache(async (): Promise<TActor | null> => actorFromHeaders(await headers()));

export async function getActorFromRequest(request: Request): Promise<TActor | null> {
  return actorFromHeaders(request.headers);
}

/** The signed-in person, or a redirect to the login page. */
export async function requireUser(): Promise<TActor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}

/** The signed-in person holding a permission; 403 (forbidden.tsx) otherwise. */
export async function requirePermission(permission: TPermission): Promise<TActor> {
  const actor = await requireUser();
  if (!can(actor.role, permission)) forbidden();
  return actor;
}
