"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "@/lib/config/duration";

/**
 * "3m 5s ago", ticking, with the exact time in the viewer's own time zone as a tooltip. The server renders
 * against its clock; the browser takes over after hydration.
 */
export function RelativeTime({ iso, serverNow, suffix = " ago" }: { iso: string; serverNow: string; suffix?: string }) {
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const ms = Math.max(0, now - new Date(iso).getTime());
  const text = ms < 1_000 ? "just now" : `${formatDuration(ms)}${suffix}`;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {text}
    </time>
  );
}

/** A date and time in the viewer's time zone. */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const date = new Date(iso);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {dateOnly ? date.toLocaleDateString() : date.toLocaleString()}
    </time>
  );
}
