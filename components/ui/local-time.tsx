"use client";

import { formatDate, formatTime } from "@/lib/format";
import { useViewerZone } from "./zone-context";

/**
 * A moment in the viewer's zone, the zone named ("2 Dec 2026, 08:33:27 CET"). The server renders it in the zone the
 * browser reported, so it reads the same before and after a live update. `dateOnly` writes the day alone.
 */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const zone = useViewerZone();
  return (
    <time dateTime={iso} data-time="">
      {dateOnly ? formatDate(iso, zone) : formatTime(iso, zone)}
    </time>
  );
}
