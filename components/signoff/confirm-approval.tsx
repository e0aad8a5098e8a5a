"use client";

import { Dialog } from "@/components/ui/dialog";
import { BUTTON, HINT } from "@/components/ui/field";

/** What approving this snapshot would go past: the closed gate and each critical blocker, as the confirmation lists them. */
export type TApprovalWarnings = { score: string | null; blockers: { key: string; name: string; figures: string }[] };

/**
 * The confirmation before approving past a closed gate or critical blockers: it lists each of them, and only
 * "Approve anyway" sends the approval (with confirmedBelowGate=1); Cancel, Escape or the backdrop send nothing.
 * Cancel takes the focus when it opens, so Enter does not approve by accident.
 */
export function ConfirmApproval(props: {
  open: boolean;
  roleName: string;
  warnings: TApprovalWarnings;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { open, roleName, warnings, onCancel, onConfirm } = props;
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={`Approve go-live as ${roleName} anyway?`}
      actions={
        <>
          <button type="button" className={BUTTON.secondary} data-autofocus onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className={BUTTON.dangerSolid} onClick={onConfirm}>
            Approve anyway
          </button>
        </>
      }
    >
      <p>Readiness does not meet the go-live gate. Approving records that you saw this and approve regardless:</p>
      <ul className="list-disc space-y-1 pl-5" data-testid="confirm-warnings">
        {warnings.score ? <li data-testid="confirm-score">{warnings.score}</li> : null}
        {warnings.blockers.map((b) => (
          <li key={b.key} data-testid="confirm-blocker">
            Critical blocker: {b.name} <span className={HINT}>({b.figures})</span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
