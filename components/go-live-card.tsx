import Link from "next/link";
import type { TGoLive } from "@/lib/signoff/status";
import { formatDay } from "@/lib/format";
import { Card } from "./ui/card";
import { Figure } from "./live/live-refresh";

/** The go-live verdict: "Approved for go-live", or exactly what is missing. `showLink: false` on the sign-off page itself. */
export function GoLiveCard({
  release,
  goLive,
  configured,
  showLink = true,
}: {
  release: { name: string; targetDate: string | null } | null;
  goLive: TGoLive;
  configured: boolean;
  showLink?: boolean;
}) {
  return (
    <Card
      id="golive"
      className="space-y-1"
      data-testid="go-live"
      data={{ "data-approved": goLive.approved }}
      title={`Go-live${release ? `: ${release.name}${release.targetDate ? `, target ${formatDay(release.targetDate)}` : ""}` : ""}`}
      actions={
        showLink ? (
          <Link href="/signoff" className="underline underline-offset-2">
            Sign-off
          </Link>
        ) : undefined
      }
    >
      {!configured ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          No release or sign-off roles are configured: add <code className="font-mono">system.release</code> and a{" "}
          <code className="font-mono">signoff:</code> section.
        </p>
      ) : goLive.approved ? (
        <p className="font-semibold text-emerald-800 dark:text-emerald-300">
          <Figure>
            <span aria-hidden="true">✓ </span>Approved for go-live
          </Figure>
        </p>
      ) : (
        <>
          <p className="font-semibold text-red-800 dark:text-red-300">
            <Figure>
              <span aria-hidden="true">✕ </span>Not approved for go-live: {goLive.missing.length} thing
              {goLive.missing.length === 1 ? "" : "s"} missing
            </Figure>
          </p>
          <ul className="list-disc space-y-0.5 pl-5 text-sm break-words" data-testid="go-live-missing">
            {goLive.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
