"use client";

import { useState, useTransition } from "react";
import { probeNowAction, type ProbeNowState } from "./actions";

export function ProbeNowButton({ componentId }: { componentId: string }) {
  const [pending, start] = useTransition();
  const [state, setState] = useState<ProbeNowState>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        disabled={pending}
        onClick={() => start(async () => setState(await probeNowAction(componentId)))}
        className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:opacity-50"
      >
        {pending ? "Probing…" : "Probe now"}
      </button>
      {state ? (
        <span
          role="status"
          data-testid="probe-now-result"
          className={`text-sm ${state.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}
        >
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
