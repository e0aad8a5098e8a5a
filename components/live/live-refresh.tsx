"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { formatDuration, formatTime } from "@/lib/format";
import { useViewerZone } from "../ui/zone-context";
import { askServerHealth } from "./health";
import { useFrame } from "./page-frame";

/** "degraded": the server said its event bus cannot deliver (Redis unreachable): polling, and saying why. */
type TMode = "connecting" | "live" | "polling" | "degraded";

/** Why the figures on the page may no longer be true, and since when; null while they are current. */
type TStale = {
  reason: "database" | "silent";
  /** When the server read the figures on the page (ISO, the server's clock). */
  figuresAt: string;
  /** How long ago, by this browser's clock, they arrived. */
  ageMs: number;
  /** How long the page has heard nothing: no event, no answer from the server. */
  silentMs: number;
  unreachableSince: string | null;
};

type TLiveView = { mode: TMode; pollMs: number; stale: TStale | null };

const LiveContext = createContext<TLiveView | null>(null);

/** Ages in whole seconds, at least one: "stale · 12s", never a ticking "523ms". */
const wholeSeconds = (ms: number) => Math.max(1_000, Math.floor(ms / 1_000) * 1_000);

const sameStale = (a: TStale | null, b: TStale | null) =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.reason === b.reason &&
    a.figuresAt === b.figuresAt &&
    a.unreachableSince === b.unreachableSince &&
    a.ageMs === b.ageMs &&
    a.silentMs === b.silentMs);

/**
 * Keeps a server-rendered page current, and says when it is not. On every stored batch of results (server-sent
 * events from /api/events) it re-renders the page; when the stream is down, or no worker can reach this server's
 * event bus, it refreshes every few seconds instead. Between updates it asks /api/health, which answers without the
 * database: while the database is unreachable it stops refreshing (a refresh could only replace the figures with
 * an error), keeps the figures it has and marks every one of them stale with its age, and so it does when it has
 * heard nothing at all (no event, no answer) for `staleAfterMs`. It refreshes once the database answers again.
 */
export function LiveProvider({
  renderedAt,
  workerReachable,
  pollMs = 5_000,
  staleAfterMs = 2 * pollMs,
  children,
}: {
  /** When the server read the figures of this render (ISO). */
  renderedAt: string;
  workerReachable: boolean;
  pollMs?: number;
  staleAfterMs?: number;
  children: React.ReactNode;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<TMode>("connecting");
  const [stale, setStale] = useState<TStale | null>(null);
  // Browser-clock times: the server's clock may be off, an age must not be.
  const heardAt = useRef(0);
  const arrivedAt = useRef(0);
  const figuresAt = useRef(renderedAt);
  const outage = useRef<{ since: string | null } | null>(null);
  const evaluate = useRef(() => undefined as void);
  const frame = useFrame();
  const frameOutage = frame?.outage ?? null;

  // Held by the page frame: while this is mounted, a refresh that comes back as the outage page keeps these figures.
  const registerLive = frame?.registerLive;
  useEffect(() => registerLive?.(), [registerLive]);

  useEffect(() => {
    // A refresh raced the database going: the server answered with the outage, and the frame kept these figures.
    if (frameOutage === null || outage.current !== null) return;
    outage.current = { since: frameOutage.since };
    evaluate.current();
  }, [frameOutage]);

  useEffect(() => {
    // A new render arrived (first load or a refresh): these figures are fresh.
    heardAt.current = Date.now();
    arrivedAt.current = Date.now();
    figuresAt.current = renderedAt;
    evaluate.current();
  }, [renderedAt]);

  useEffect(() => {
    evaluate.current = () => {
      const now = Date.now();
      const silentMs = now - heardAt.current;
      const base = {
        figuresAt: figuresAt.current,
        ageMs: wholeSeconds(now - arrivedAt.current),
        silentMs: wholeSeconds(silentMs),
      };
      const next: TStale | null = outage.current
        ? { reason: "database", unreachableSince: outage.current.since, ...base }
        : silentMs > staleAfterMs
          ? { reason: "silent", unreachableSince: null, ...base }
          : null;
      setStale((previous) => (sameStale(previous, next) ? previous : next));
    };
    let queued: number | undefined;
    let disposed = false;
    /**
     * A refresh renders the page again on the server: if the database has just gone, that render is the outage page,
     * and it would replace the figures this page should keep and mark stale. So an event-driven refresh asks
     * /api/health first and does not refresh while the database is unreachable (nor during a known outage).
     */
    const refresh = (checked = false) => {
      if (queued !== undefined) return;
      queued = window.setTimeout(() => {
        void (async () => {
          try {
            if (outage.current !== null) return;
            if (!checked) {
              const health = await askServerHealth();
              if (disposed) return;
              if (health !== null && !health.databaseOk) {
                outage.current = { since: health.unreachableSince };
                evaluate.current();
                return;
              }
            }
            router.refresh();
          } finally {
            queued = undefined;
          }
        })();
      }, 50);
    };
    const heard = () => {
      heardAt.current = Date.now();
    };
    let source: EventSource | null = null;
    let streaming = false;
    const open = () => {
      source?.close();
      const next = new EventSource("/api/events");
      source = next;
      next.addEventListener("hello", () => {
        streaming = true;
        heard();
        setMode(workerReachable ? "live" : "polling");
      });
      next.addEventListener("results", () => {
        // A stored batch. Only /api/health says the database answers again: the batch may have been the last one
        // stored before it went.
        heard();
        refresh();
      });
      // Sent before the server ends the stream while its bus (Redis) is down. The stream is left to the browser,
      // which asks again every few seconds (retry: 5000); the first one after Redis is back says hello.
      next.addEventListener("degraded", () => {
        streaming = false;
        heard();
        setMode("degraded");
      });
      next.onerror = () => {
        streaming = false;
        setMode((current) => (current === "degraded" ? current : "polling"));
      };
    };
    open();

    let asking = false;
    const poll = async () => {
      if (asking) return;
      // Events are flowing: nothing to ask.
      if (streaming && workerReachable && outage.current === null && Date.now() - heardAt.current < pollMs) return;
      asking = true;
      try {
        const health = await askServerHealth();
        if (health === null) return; // the server did not answer: nothing heard
        if (!health.databaseOk) {
          outage.current = { since: health.unreachableSince };
          return;
        }
        const recovered = outage.current !== null;
        outage.current = null;
        heard();
        // A stream the server refused (during the outage, say) is not retried by the browser: open it again.
        if (source?.readyState === EventSource.CLOSED) open();
        if (recovered || !streaming || !workerReachable) refresh(true);
      } finally {
        asking = false;
        evaluate.current();
      }
    };
    const pollTimer = window.setInterval(() => void poll(), pollMs);
    // Ages tick while stale; silence turns into staleness without waiting for the next poll.
    const ticker = window.setInterval(() => evaluate.current(), 1_000);
    return () => {
      disposed = true;
      source?.close();
      window.clearInterval(pollTimer);
      window.clearInterval(ticker);
      window.clearTimeout(queued);
    };
  }, [router, pollMs, staleAfterMs, workerReachable]);

  return (
    <LiveContext.Provider value={{ mode, pollMs, stale }}>
      {stale ? <StaleBanner stale={stale} /> : null}
      {children}
    </LiveContext.Provider>
  );
}

function StaleBanner({ stale }: { stale: TStale }) {
  const zone = useViewerZone();
  const figures = (
    <>
      figures below are from <time dateTime={stale.figuresAt}>{formatTime(stale.figuresAt, zone)}</time> (
      {formatDuration(stale.ageMs)} old) and may no longer hold
    </>
  );
  return (
    <p
      role="alert"
      data-testid="stale-banner"
      data-reason={stale.reason}
      className="mb-4 rounded border border-amber-500 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
    >
      {stale.reason === "database" ? (
        <>
          <strong>Preflight&apos;s database is unreachable</strong>
          {stale.unreachableSince ? (
            <>
              {" "}
              since <time dateTime={stale.unreachableSince}>{formatTime(stale.unreachableSince, zone)}</time>
            </>
          ) : null}
          ; {figures}. This page refreshes by itself once it answers.
        </>
      ) : (
        <>
          <strong>Preflight has not answered for {formatDuration(stale.silentMs)}</strong>; {figures}. This page keeps
          trying.
        </>
      )}
    </p>
  );
}

/** The page's live state: "Live", "Refreshing every 5 s", or, when the figures may no longer hold, why. */
export function LiveRefresh() {
  const live = useContext(LiveContext);
  if (!live) return null;
  const { mode, pollMs, stale } = live;
  const state = stale ? "stale" : mode === "degraded" ? "polling" : mode;
  const label = stale
    ? stale.reason === "database"
      ? "Not live: database unreachable"
      : `Not live: no answer for ${formatDuration(stale.silentMs)}`
    : mode === "live"
      ? "Live"
      : mode === "polling"
        ? `Refreshing every ${Math.round(pollMs / 1000)} s`
        : mode === "degraded"
          ? `Live updates paused (Redis unreachable): refreshing every ${Math.round(pollMs / 1000)} s`
          : "Connecting…";
  const dot =
    state === "live"
      ? "bg-emerald-500"
      : state === "stale"
        ? "bg-red-500"
        : state === "polling"
          ? "bg-amber-500"
          : "bg-slate-400";
  return (
    <span
      role="status"
      data-live={state}
      data-reason={mode === "degraded" ? "bus-down" : undefined}
      className="inline-flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300"
    >
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {label}
    </span>
  );
}

/**
 * One figure of a live page. While the page's figures may no longer hold, it is greyed and carries its age
 * ("stale · 1m 5s"), so no figure reads as current on its own, whatever part of the page someone looks at.
 * Outside a live page it is the figure alone.
 */
export function Figure({ children }: { children: React.ReactNode }) {
  const live = useContext(LiveContext);
  const zone = useViewerZone();
  const stale = live?.stale ?? null;
  // One shape, stale or not: the figure's own components (a ticking "3s ago") stay mounted when the mark comes.
  return (
    <span data-figure="" data-stale={stale ? "" : undefined}>
      <span className={stale ? "opacity-60 grayscale" : undefined}>{children}</span>
      {stale ? (
        <>
          {" "}
          <span
            data-stale-mark=""
            title={`As read at ${formatTime(stale.figuresAt, zone)}; may no longer hold`}
            className="inline-flex items-center rounded bg-amber-100 px-1 text-[0.65rem] font-semibold whitespace-nowrap text-amber-950 dark:bg-amber-900/60 dark:text-amber-100"
          >
            stale · {formatDuration(stale.ageMs)}
          </span>
        </>
      ) : null}
    </span>
  );
}
