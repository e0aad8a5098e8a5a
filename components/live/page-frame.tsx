"use client";

import { usePathname } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useState } from "react";

/** What the server said of this render: its figures, or that the database did not answer (since when, ISO). */
export type TFrameOutage = { since: string } | null;

type TFrame = { outage: TFrameOutage; holding: boolean; registerLive: () => () => void };

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
  // A frame inside another (a page part that reads the database itself, like the component page's detail): a live
  // page registers with every frame around it, so the outer one keeps the page too.
  const parent = useContext(FrameContext);
  const parentRegister = parent?.registerLive;
  const registerLive = useCallback(() => {
    setLive((n) => n + 1);
    const undo = parentRegister?.();
    return () => {
      setLive((n) => n - 1);
      undo?.();
    };
  }, [parentRegister]);
  const holding = outage !== null && live > 0 && kept !== null && kept.path === path;
  const frame = useMemo(() => ({ outage, holding, registerLive }), [outage, holding, registerLive]);
  return <FrameContext.Provider value={frame}>{holding && kept ? kept.node : children}</FrameContext.Provider>;
}

/**
 * Around figures outside a LiveProvider (the verdict line and the operator's banner above the page): while the
 * frame keeps an open page's figures through a database outage, they are marked stale too, never shown as current.
 */
export function HeldMark({ children }: { children: React.ReactNode }) {
  const frame = useContext(FrameContext);
  if (!frame?.holding) return <>{children}</>;
  return (
    <div data-stale="" data-testid="held-mark" className="opacity-60">
      <p className="text-xs font-semibold text-red-800 dark:text-red-200">
        Stale: Preflight&apos;s database is unreachable; the line below is from before it went.
      </p>
      {children}
    </div>
  );
}

/** For LiveProvider: the outage the server answered with while this page kept its figures, or null. */
export function useFrame(): TFrame | null {
  return useContext(FrameContext);
}
