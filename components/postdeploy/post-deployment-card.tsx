import { Figure } from "@/components/live/live-refresh";
import { Card } from "@/components/ui/card";
import { Pill } from "@/components/ui/pill";
import { formatTime } from "@/lib/format";
import type { TPostDeployState } from "@/lib/postdeploy/judge";
import type { TPostDeploymentView } from "@/lib/queries/post-deployment";
import { MarkDeployedForm } from "./mark-deployed-form";

// After go-live (reference: post-deployment monitoring): the watch of the deployed release, its verdict on the way
// and at the end, and every criterion per component with its figure. Nothing passes without data.

const STATES: Record<TPostDeployState, { icon: string; label: string; className: string }> = {
  "not deployed": {
    icon: "…",
    label: "Not deployed",
    className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  },
  watching: { icon: "◷", label: "Watching", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100" },
  passed: {
    icon: "✓",
    label: "Passed",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  failed: { icon: "✕", label: "Failed", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
};

export function PostDeploymentCard({ view, canMark = false }: { view: TPostDeploymentView; canMark?: boolean }) {
  if (!view.configured) return null;
  const { verdict } = view;
  const style = STATES[verdict.state];
  return (
    <Card
      id="post-deployment"
      title="After go-live"
      actions={
        <Pill
          icon={style.icon}
          label={style.label}
          className={style.className}
          data={{ "data-postdeploy": verdict.state }}
        />
      }
      data={{ "data-postdeploy-state": verdict.state }}
    >
      <p className="text-sm">
        <Figure>{verdict.summary}</Figure>
      </p>
      {view.deployedAt ? (
        <p className="text-xs text-slate-600 dark:text-slate-300">
          {view.release} marked deployed {formatTime(view.deployedAt)} by {view.by}
          {view.frozen ? "; the verdict was stored when its window settled" : ""}.
        </p>
      ) : (
        <p className="text-xs text-slate-600 dark:text-slate-300">
          CI marks the release deployed with{" "}
          <code className="font-mono">POST /api/v1/releases/&lt;release&gt;/deployed</code>; from then its criteria are
          watched.
        </p>
      )}
      {!view.deployedAt && canMark && view.release ? <MarkDeployedForm release={view.release} /> : null}
      {verdict.rows.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {verdict.rows.map((row) => (
            <li key={`${row.component}-${row.criterion}`} data-criterion={row.criterion} data-ok={row.ok}>
              <span aria-hidden="true">{row.ok ? "✓ " : "✕ "}</span>
              <span className="sr-only">{row.ok ? "met: " : "not met: "}</span>
              {row.component}: <Figure>{row.text}</Figure>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Source: probe history (minute and hour rollups) since the deployment.
      </p>
    </Card>
  );
}
