"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** Re-renders the server page every few seconds so the health table stays live without a reload. */
export function AutoRefresh({ intervalMs, generatedAt }: { intervalMs: number; generatedAt: string }) {
  const router = useRouter();
  const [visible, setVisible] = useState(true);

  useEffect(() => {
    const onVisibility = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);

  useEffect(() => {
    if (!visible) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [router, intervalMs, visible]);

  return (
    <p className="text-xs text-slate-500 dark:text-slate-400" aria-live="off">
      Refreshes every {Math.round(intervalMs / 1000)} s · last update{" "}
      <time dateTime={generatedAt}>{new Date(generatedAt).toLocaleTimeString()}</time>
    </p>
  );
}
