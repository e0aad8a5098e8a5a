"use client";

import { useActionState } from "react";
import { setDemoModeAction } from "./actions";

const MODES = [
  { mode: "down", label: "Stop", hint: "the port refuses connections" },
  { mode: "failing", label: "Fail", hint: "answers, but unhealthy" },
  { mode: "slow", label: "Slow", hint: "answers after 1.5 s" },
  { mode: "healthy", label: "Recover", hint: "healthy again" },
] as const;

export function ModeButtons({ serviceId, serviceName, current }: { serviceId: string; serviceName: string; current: string }) {
  const [state, action, pending] = useActionState(setDemoModeAction, null);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="serviceId" value={serviceId} />
      {MODES.map(({ mode, label, hint }) => (
        <button
          key={mode}
          type="submit"
          name="mode"
          value={mode}
          disabled={pending || current === mode}
          title={hint}
          aria-label={`${label} ${serviceName} (${hint})`}
          className="rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {label}
        </button>
      ))}
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
