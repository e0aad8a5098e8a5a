"use client";

import { useEffect } from "react";

const GLYPHS = /^[▼◆▲✓] /;

export type TBeacon = {
  system: string;
  down: number;
  degraded: number;
  recovered: number;
  unknown: number;
  total: number;
};

/** The tab's title prefix for the system's state, or null when it is all up (the page's own title then). */
export function beaconTitle(b: TBeacon): string | null {
  if (b.down > 0) return `▼ ${b.down} down · ${b.system}`;
  if (b.degraded > 0) return `◆ ${b.degraded} degraded · ${b.system}`;
  if (b.recovered > 0) return `▲ recovered · ${b.system}`;
  return null;
}

function faviconColour(b: TBeacon): string {
  if (b.down > 0) return "#b91c1c";
  if (b.degraded > 0) return "#d97706";
  // Not all known to be up: grey, never the all-clear green.
  if (b.unknown > 0) return "#64748b";
  return "#047857";
}

/** A small circle in the state's colour, with a white mark: what a tab strip shows of the page. */
export function faviconHref(b: TBeacon): string {
  const mark =
    b.down > 0
      ? "M10 12 L16 21 L22 12 Z"
      : b.degraded > 0
        ? "M16 10 L22 16 L16 22 L10 16 Z"
        : "M10 16.5 L14 20.5 L22 12";
  const fill = b.down > 0 || b.degraded > 0 ? "white" : "none";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${faviconColour(b)}"/><path d="${mark}" fill="${fill}" stroke="white" stroke-width="2.5" stroke-linejoin="round"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Puts the system's state where an operator sees it with the tab in the background: the title ("▼ 1 down ·
 * x0tta6bl4") and the favicon. Re-applied when the framework sets the page's own title on navigation.
 */
export function StatusBeacon(props: TBeacon) {
  const { system, down, degraded, recovered, unknown, total } = props;
  useEffect(() => {
    const state = { system, down, degraded, recovered, unknown, total };
    let base = GLYPHS.test(document.title) ? null : document.title;
    const apply = () => {
      if (!GLYPHS.test(document.title)) base = document.title;
      const prefix = beaconTitle(state);
      const want = prefix ?? base ?? system;
      if (document.title !== want) document.title = want;
      const href = faviconHref(state);
      let links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
      if (links.length === 0) {
        const link = document.createElement("link");
        link.rel = "icon";
        document.head.appendChild(link);
        links = [link];
      }
      for (const link of links) {
        if (link.href !== href) {
          link.type = "image/svg+xml";
          link.href = href;
        }
      }
      document.documentElement.dataset.systemState = down > 0 ? "down" : degraded > 0 ? "degraded" : "up";
    };
    apply();
    // The framework sets the page's title and icon links again on navigation (and may replace the icon link alone).
    const observer = new MutationObserver(() => {
      const href = faviconHref(state);
      const icons = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
      if (
        document.title !== (beaconTitle(state) ?? base ?? system) ||
        icons.length === 0 ||
        icons.some((l) => l.href !== href)
      )
        apply();
    });
    observer.observe(document.head, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["href"],
    });
    return () => {
      observer.disconnect();
      if (base !== null) document.title = base;
    };
  }, [system, down, degraded, recovered, unknown, total]);
  return null;
}
