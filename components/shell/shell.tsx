import { unstable_rethrow } from "next/navigation";
import { explainFailure } from "@/lib/db/outage";
import { getLogger } from "@/lib/logger";
import { getShell } from "@/lib/queries/shell";
import { HeldMark } from "../live/page-frame";
import { StatusBanner } from "./status-banner";
import { StatusBeacon } from "./status-beacon";
import { VerdictLine } from "./verdict-line";

/** The shell's figures, or null when signed out or when the database does not answer (the page says so). */
export async function readShell() {
  try {
    return await getShell();
  } catch (error) {
    unstable_rethrow(error);
    if (await explainFailure()) return null;
    getLogger().error({ err: error }, "the verdict line could not be computed");
    return "failed" as const;
  }
}

/**
 * The verdict line, the operator's banner, the tab title and favicon: first on every signed-in page. Rendered with
 * the page (components/outage/with-database.tsx), not in the root layout, which a client-side navigation does not
 * render again: so it is as fresh as the page under it, and refreshes with it. While an open page keeps its figures
 * through a database outage, it is marked stale with them.
 */
export async function Shell() {
  const shell = await readShell();
  if (shell === null) return null;
  if (shell === "failed") {
    return (
      <p
        role="alert"
        data-testid="verdict"
        data-state="unavailable"
        className="mb-4 border-l-4 border-red-600 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-50"
      >
        The go-live verdict could not be computed; the server&apos;s log has the reason.
      </p>
    );
  }
  const { status } = shell;
  return (
    <div className="mb-6 space-y-1">
      <HeldMark>
        <VerdictLine verdict={shell.verdict} />
        <StatusBanner status={status} now={shell.now.toISOString()} />
      </HeldMark>
      <StatusBeacon
        system={status.system}
        down={status.down.length}
        degraded={status.degraded.length}
        recovered={status.recovered.length}
        unknown={status.unknown}
        total={status.total}
      />
    </div>
  );
}
