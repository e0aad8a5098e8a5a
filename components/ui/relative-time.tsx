"use client";

import { useEffect, useState } from "react";
import { formatAgo, formatDuration, formatTime } from "@/lib/format";
import { useViewerZone } from "./zone-context";

/**
 * "3m 5s ago", ticking, with the exact time in the viewer's zone as a tooltip. The server renders against its
 * clock; the browser takes over after hydration.
 */
export function RelativeTime({ iso, serverNow, suffix = " ago" }: { iso: string; serverNow: string; suffix?: string }) {
  const zone = useViewerZone();
  const [now, setNow] = useState(() => new Date(serverNow).getTime());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const ms = Math.max(0, now - new Date(iso).getTime());
  const text = suffix === " ago" ? formatAgo(iso, now) : ms < 1_000 ? "just now" : `${formatDuration(ms)}${suffix}`;
  return (
    <time dateTime={iso} title={formatTime(iso, zone)} suppressHydrationWarning>
      {text}
    </time>
  );
}
