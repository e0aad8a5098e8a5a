// Who may do what: one role -> permission map, and named predicates over it. Every page, server action and
// route handler asks here (through lib/auth/session.ts or a service's own check), never compares roles itself.

export const ROLES = ["admin", "editor", "approver", "viewer"] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<TRole, string> = {
  admin: "Admin: users, tokens, audit log",
  editor: "Editor: evidence, attestations, plan",
  approver: "Approver: signs their sign-off roles",
  viewer: "Viewer: reads everything",
};

const GRANTS = {
  "readiness:read": ["admin", "editor", "approver", "viewer"],
  "evidence:write": ["admin", "editor"],
  "plan:edit": ["admin", "editor"],
  "probe:run": ["admin", "editor", "approver"],
  "signoff:sign": ["approver"],
  "users:manage": ["admin"],
  "tokens:manage": ["admin"],
  "audit:read": ["admin"],
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof GRANTS;
export const PERMISSIONS = Object.keys(GRANTS) as TPermission[];

export function isRole(value: unknown): value is TRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: string | null | undefined, permission: TPermission): boolean {
  return isRole(role) && (GRANTS[permission] as readonly TRole[]).includes(role);
}
