"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

const COOKIE = "preflight-tz";

/**
 * Tells the server this browser's time zone (a cookie), so every time on every page is rendered on the server in
 * the viewer's zone: the first render and each live update read the same. On a first visit, or after the zone
 * changed, it re-renders the page once with the right zone.
 */
export function ZoneSync({ serverZone }: { serverZone: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone; // format-ok: reads the zone, formats nothing
    if (!zone || zone === serverZone) return;
    document.cookie = `${COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [router, serverZone]);
  return null;
}
