"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

type Mode = "connecting" | "live" | "polling";

/**
 * Keeps a server-rendered page current: on every stored batch of results (server-sent events from
 * /api/events) it re-renders the page; when the stream is down, or when no worker can reach this server's
 * event bus, it falls back to refreshing every few seconds. The indicator says which.
 */
export function LiveRefresh({ pollMs = 5_000, workerReachable }: { pollMs?: number; workerReachable: boolean }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("connecting");

  useEffect(() => {
    let queued: number | undefined;
    const refresh = () => {
      if (queued !== undefined) return;
      queued = window.setTimeout(() => {
        queued = undefined;
        router.refresh();
      }, 50);
    };
    const source = new EventSource("/api/events");
    let streaming = false;
    source.addEventListener("hello", () => {
      streaming = true;
      setMode(workerReachable ? "live" : "polling");
    });
    source.addEventListener("results", refresh);
    source.onerror = () => {
      streaming = false;
      setMode("polling");
    };
    const poll = window.setInterval(() => {
      if (!streaming || !workerReachable) router.refresh();
    }, pollMs);
    return () => {
      source.close();
      window.clearInterval(poll);
      window.clearTimeout(queued);
    };
  }, [router, pollMs, workerReachable]);

  const label = mode === "live" ? "Live" : mode === "polling" ? `Refreshing every ${Math.round(pollMs / 1000)} s` : "Connecting…";
  return (
    <span role="status" data-live={mode} className="inline-flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
      <span
        aria-hidden="true"
        className={`inline-block h-2 w-2 rounded-full ${mode === "live" ? "bg-emerald-500" : mode === "polling" ? "bg-amber-500" : "bg-slate-400"}`}
      />
      {label}
    </span>
  );
}
