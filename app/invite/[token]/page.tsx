import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { isRole, ROLE_LABELS } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/client";
import { getInvitationByToken } from "@/lib/queries/invitations";
import { AcceptInvitationForm } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false } };

function Unusable({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-sm space-y-4 py-8" data-testid="invitation-unusable">
      <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">{children}</p>
    </div>
  );
}

/** Public: the person an admin invited sets their password here. The link is the credential; no session is needed. */
async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const invitation = await getInvitationByToken(getPrisma(), token);
  if (!invitation) {
    return (
      <Unusable title="This invitation link is not valid">
        It may be mistyped or cut short. Ask an admin for a new invitation.
      </Unusable>
    );
  }
  switch (invitation.state) {
    case "accepted":
      return (
        <Unusable title="This invitation was already used">
          The account for {invitation.email} exists.{" "}
          <Link href="/login" className="underline">
            Sign in
          </Link>{" "}
          instead.
        </Unusable>
      );
    case "revoked":
      return (
        <Unusable title="This invitation was revoked">
          An admin withdrew it: it cannot be used. Ask an admin to invite {invitation.email} again.
        </Unusable>
      );
    case "replaced":
      return (
        <Unusable title="This invitation was replaced">
          An admin sent {invitation.email} a newer invitation: use the latest link.
        </Unusable>
      );
    case "expired":
      return (
        <Unusable title="This invitation has expired">
          Invitations work for 7 days. Ask an admin to invite {invitation.email} again.
        </Unusable>
      );
    case "open":
      break;
  }
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight">Welcome to Preflight</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="invitation">
          <dt className="text-slate-600 dark:text-slate-300">Name</dt>
          <dd className="font-medium">{invitation.name}</dd>
          <dt className="text-slate-600 dark:text-slate-300">Email</dt>
          <dd className="font-medium">{invitation.email}</dd>
          <dt className="text-slate-600 dark:text-slate-300">Role</dt>
          <dd className="font-medium">{isRole(invitation.role) ? ROLE_LABELS[invitation.role] : invitation.role}</dd>
        </dl>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Choose a password to create your account. The link works once.
        </p>
      </div>
      <AcceptInvitationForm token={token} email={invitation.email} />
    </div>
  );
}

export default withDatabasePage(InvitePage);
