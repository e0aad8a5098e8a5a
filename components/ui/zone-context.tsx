"use client";

import { createContext, useContext } from "react";
import { DEFAULT_TIME_ZONE } from "@/lib/format";

const ZoneContext = createContext<string>(DEFAULT_TIME_ZONE);

/** The viewer's zone for every time on the page: set once by the layout from the browser's own report. */
export function ZoneProvider({ zone, children }: { zone: string; children: React.ReactNode }) {
  return <ZoneContext.Provider value={zone}>{children}</ZoneContext.Provider>;
}

export function useViewerZone(): string {
  return useContext(ZoneContext);
}
