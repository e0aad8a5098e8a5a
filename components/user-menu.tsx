import Link from "next/link";
import { signOut } from "@/app/login/actions";
import { can, isRole, ROLE_LABELS, type TPermission } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/actor";

// The header's right side (presentational; the layout looks the session up): who is signed in, the admin pages their role allows, and signing out. It only shows;
// each of those pages checks the permission again itself. Never redirects or refuses: the root layout renders it
// on every page, the login and 403 pages included.

const LINK = "text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white";

const ADMIN_LINKS: [href: string, label: string, permission: TPermission][] = [
  ["/admin/users", "Users", "users:manage"],
  ["/admin/tokens", "Tokens", "tokens:manage"],
  ["/audit", "Audit log", "audit:read"],
];

export function UserMenu({ actor }: { actor: TActor | null }) {
  if (!actor) {
    return (
      <Link href="/login" className={LINK}>
        Sign in
      </Link>
    );
  }
  const role = isRole(actor.role) ? (ROLE_LABELS[actor.role].split(":")[0] ?? actor.role) : actor.role;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2" data-testid="user-menu">
      {ADMIN_LINKS.filter(([, , permission]) => can(actor.role, permission)).map(([href, label]) => (
        <Link key={href} href={href} className={LINK}>
          {label}
        </Link>
      ))}
      <span className="text-sm" title={actor.email}>
        <span className="font-medium">{actor.name}</span>{" "}
        <span className="text-xs text-slate-500 dark:text-slate-400">· {role}</span>
      </span>
      <form action={signOut}>
        <button
          type="submit"
          className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
