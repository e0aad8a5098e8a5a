import { unstable_rethrow } from "next/navigation";
import { connection } from "next/server";
import { confirmDatabaseOutage, explainFailure, type TDatabaseOutage } from "@/lib/db/outage";
import { getDatabaseOutageView } from "@/lib/queries/outage";
import { Suspense } from "react";
import { PageFrame } from "../live/page-frame";
import { Shell } from "../shell/shell";
import { DatabaseOutage } from "./database-outage";

/** A page still loading after this long has its database asked whether it answers at all. */
const SLOW_PAGE_MS = 8_000;

const sleep = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms).unref?.());

async function outagePage(outage: TDatabaseOutage) {
  const view = await getDatabaseOutageView(outage);
  return (
    <PageFrame outage={{ since: view.since }}>
      <DatabaseOutage view={view} />
    </PageFrame>
  );
}

/** A page with its figures: the shell (the verdict line, the operator's banner) first, read with the page. */
const figures = (node: React.ReactNode, shell: boolean) => (
  <PageFrame outage={null}>
    {shell ? (
      <Suspense fallback={null}>
        <Shell />
      </Suspense>
    ) : null}
    {node}
  </PageFrame>
);

/**
 * Wraps a page (or an async part of one that reads the database): while the database does not answer, the page is
 * the outage state of components/outage/database-outage.tsx instead of the framework's error. Asked before the page
 * runs (one ping a second per process at most: a session lookup on a dead database must not turn into a redirect
 * to /login), after it throws, and when it is still loading after 8 s. Redirects, 404s and 403s pass through; any
 * other error with the database answering is a bug and stays one. Both are framed by PageFrame, so that an open live
 * page whose refresh comes back as the outage keeps its figures, marked stale.
 */
export function withDatabasePage<TProps extends object>(
  Page: (props: TProps) => Promise<React.ReactNode> | React.ReactNode,
  /** `shell: false` for a part of a page (streamed inside it) that guards its own reads: the page has the shell. */
  { shell = true }: { shell?: boolean } = {},
) {
  return async function DatabaseGuard(props: TProps): Promise<React.ReactNode> {
    await connection();
    const known = await confirmDatabaseOutage();
    if (known) return outagePage(known);
    const rendering = Promise.resolve().then(() => Page(props));
    try {
      const first = await Promise.race([rendering.then((node) => ({ node })), sleep(SLOW_PAGE_MS)]);
      if (first) return figures(first.node, shell);
      const outage = await confirmDatabaseOutage();
      if (outage) {
        rendering.catch(() => undefined);
        return outagePage(outage);
      }
      return figures(await rendering, shell);
    } catch (error) {
      unstable_rethrow(error);
      const outage = await explainFailure();
      if (!outage) throw error;
      return outagePage(outage);
    }
  };
}
