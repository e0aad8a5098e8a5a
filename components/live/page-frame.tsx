"use client";

import { usePathname } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useState } from "react";

/** What the server said of this render: its figures, or that the database did not answer (since when, ISO). */
export type TFrameOutage = { since: string } | null;

type TFrame = { outage: TFrameOutage; registerLive: () => () => void };

const FrameContext = createContext<TFrame | null>(null);

/**
 * Every page's outermost element (components/outage/with-database.tsx puts it there). A live page refreshes itself
 * from the server; if the database goes between the moment the page asked whether it answers and the moment the
 * server renders, that render is the outage page. Here such a render does not replace a live page's figures: the
 * page keeps the ones it shows, and its LiveProvider marks every one stale with its age under the outage banner
 * (the person reading them has already been shown them; nothing new is sent). A page opened during the outage, or
 * one that is not live, shows the outage page as before.
 */
export function PageFrame({ outage, children }: { outage: TFrameOutage; children: React.ReactNode }) {
  const path = usePathname();
  const [kept, setKept] = useState<{ path: string; node: React.ReactNode } | null>(null);
  const [live, setLive] = useState(0);
  // The last render with figures, remembered as React's documented "information from previous renders".
  if (outage === null && (kept === null || kept.node !== children || kept.path !== path))
    setKept({ path, node: children });
  const registerLive = useCallback(() => {
    setLive((n) => n + 1);
    return () => setLive((n) => n - 1);
  }, []);
  const frame = useMemo(() => ({ outage, registerLive }), [outage, registerLive]);
  const holding = outage !== null && live > 0 && kept !== null && kept.path === path;
  return <FrameContext.Provider value={frame}>{holding ? kept.node : children}</FrameContext.Provider>;
}

/** For LiveProvider: the outage the server answered with while this page kept its figures, or null. */
export function useFrame(): TFrame | null {
  return useContext(FrameContext);
}
