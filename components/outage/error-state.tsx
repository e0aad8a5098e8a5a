"use client";

import { useEffect, useState } from "react";
import { formatTime } from "@/lib/format";
import { askServerHealth, type TServerHealth } from "../live/health";
import { useViewerZone } from "../ui/zone-context";
import { OutageRecovery } from "./outage-recovery";

/**
 * What a page that failed shows (app/error.tsx, app/global-error.tsx): the pages answer a database outage
 * themselves, so this is for what they did not foresee. It asks /api/health whether the database is the cause, and
 * says so when it is; otherwise it names the error's reference for the server's log, and offers to try again.
 */
export function ErrorState({ digest, retry }: { digest?: string; retry: () => void }) {
  const zone = useViewerZone();
  const [health, setHealth] = useState<TServerHealth | null | "asking">("asking");
  useEffect(() => {
    let gone = false;
    void askServerHealth().then((answer) => {
      if (!gone) setHealth(answer);
    });
    return () => {
      gone = true;
    };
  }, []);
  if (health !== "asking" && health !== null && !health.databaseOk) {
    return (
      <section
        role="alert"
        data-testid="database-outage"
        className="space-y-2 rounded-lg border border-red-400 bg-red-50 p-4 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      >
        <h1 className="text-lg font-semibold">
          Preflight&apos;s database is unreachable
          {health.unreachableSince ? ` since ${formatTime(health.unreachableSince, zone)}` : ""}
        </h1>
        <p className="text-sm">
          No figures are shown until it answers: every figure Preflight shows is read from that database.
        </p>
        <OutageRecovery />
      </section>
    );
  }
  return (
    <section
      role="alert"
      className="space-y-2 rounded-lg border border-red-400 bg-red-50 p-4 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p className="text-sm">
        {health === null ? "Preflight's server does not answer." : "The server failed while preparing it."}
        {digest ? (
          <>
            {" "}
            Reference for the server&apos;s log: <code className="font-mono">{digest}</code>.
          </>
        ) : null}
      </p>
      <button
        type="button"
        onClick={retry}
        className="rounded border border-red-400 px-3 py-1 text-sm font-medium hover:bg-red-100 dark:hover:bg-red-900"
      >
        Try again
      </button>
    </section>
  );
}
