"use client";

import { useActionState } from "react";
import { BUTTON, ERROR_TEXT } from "@/components/ui/field";
import { setDemoModeAction } from "./actions";

const MODES = [
  { mode: "down", label: "Stop", hint: "the port refuses connections" },
  { mode: "failing", label: "Fail", hint: "answers, but unhealthy" },
  { mode: "slow", label: "Slow", hint: "answers after 1.5 s" },
  { mode: "healthy", label: "Recover", hint: "healthy again" },
] as const;

export function ModeButtons({
  serviceId,
  serviceName,
  current,
}: {
  serviceId: string;
  serviceName: string;
  current: string;
}) {
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
          className={BUTTON.secondary}
        >
          {label}
        </button>
      ))}
      {state && !state.ok ? (
        <span role="alert" className={ERROR_TEXT}>
          {state.error}
        </span>
      ) : null}
    </form>
  );
}
