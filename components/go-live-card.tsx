import Link from "next/link";
import type { TGoLive } from "@/lib/signoff/status";
import { Figure } from "./live/live-refresh";

/** The go-live verdict: "Approved for go-live", or exactly what is missing. */
export function GoLiveCard({ release, goLive, configured }: { release: { name: string; targetDate: string | null } | null; goLive: TGoLive; configured: boolean }) {
  return (
    <section aria-labelledby="golive-heading" data-testid="go-live" data-approved={goLive.approved} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="golive-heading" className="text-lg font-semibold">
          Go-live{release ? `: ${release.name}${release.targetDate ? `, target ${release.targetDate}` : ""}` : ""}
        </h2>
        <Link href="/signoff" className="text-sm underline underline-offset-2">
          Sign-off
        </Link>
      </div>
      {!configured ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          No release or sign-off roles are configured: add <code className="font-mono">system.release</code> and a <code className="font-mono">signoff:</code> section.
        </p>
      ) : goLive.approved ? (
        <p className="mt-1 font-semibold text-emerald-800 dark:text-emerald-300">
          <Figure><span aria-hidden="true">✓ </span>Approved for go-live</Figure>
        </p>
      ) : (
        <>
          <p className="mt-1 font-semibold text-red-800 dark:text-red-300">
            <Figure>
              <span aria-hidden="true">✕ </span>Not approved for go-live: {goLive.missing.length} thing{goLive.missing.length === 1 ? "" : "s"} missing
            </Figure>
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm" data-testid="go-live-missing">
            {goLive.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
