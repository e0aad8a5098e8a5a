"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { askServerHealth } from "../live/health";

/** On the outage page: asks /api/health every few seconds and brings the real page back once the database answers. */
export function OutageRecovery({ pollMs = 5_000 }: { pollMs?: number }) {
  const router = useRouter();
  const [tries, setTries] = useState(0);
  useEffect(() => {
    let asking = false;
    const timer = window.setInterval(async () => {
      if (asking) return;
      asking = true;
      try {
        const health = await askServerHealth();
        setTries((n) => n + 1);
        if (health?.databaseOk) router.refresh();
      } finally {
        asking = false;
      }
    }, pollMs);
    return () => window.clearInterval(timer);
  }, [router, pollMs]);
  return (
    <p role="status" data-testid="outage-retry" className="text-xs text-slate-600 dark:text-slate-300">
      This page asks again every {Math.round(pollMs / 1000)} s and comes back by itself once the database answers
      {tries > 0 ? ` (asked ${tries} time${tries === 1 ? "" : "s"} so far)` : ""}.
    </p>
  );
}
