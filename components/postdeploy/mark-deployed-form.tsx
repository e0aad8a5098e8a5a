"use client";

import { markDeployedAction, type TMarkDeployedState } from "@/app/signoff/actions";
import { ActionForm } from "@/components/ui/action-form";

/** The editor's button: marks the current release deployed, after a confirmation. */
export function MarkDeployedForm({ release }: { release: string }) {
  return (
    <ActionForm<TMarkDeployedState>
      action={markDeployedAction}
      initialState={{ status: "idle" }}
      submit="Mark deployed now"
      pendingLabel="Marking…"
      confirm={`Mark ${release} deployed now? Its post-deployment criteria are watched from this moment, once.`}
      errorPrefix="Not marked: "
      testId="mark-deployed"
    >
      {() => <input type="hidden" name="release" value={release} />}
    </ActionForm>
  );
}
