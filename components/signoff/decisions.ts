import type { TDecision } from "@/lib/signoff/status";

/** A decision as the grid and the history name it. */
export const DECISIONS: Record<TDecision, string> = { approve: "Approve", ready: "Ready", reject: "Reject" };
