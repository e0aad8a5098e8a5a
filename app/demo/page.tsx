import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { listDemoServices } from "@/lib/queries/demo";
import { Table } from "@/components/ui/table";
import { ModeButtons } from "./client";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Demo controls" };

async function DemoPage() {
  await connection();
  await requireUser();
  const services = await listDemoServices();
  if (!services) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Demo controls</h1>
      <p className="max-w-prose text-sm text-slate-600 dark:text-slate-300">
        The demo stack plays x0tta6bl4&apos;s eight services with small simulators on this machine, each speaking its
        real health protocol; the mesh gateway answers only TLS 1.3 clients with a certificate of the demo CA. Stop or
        break one here (or run <code className="font-mono">npm run demo:ctl -- api down</code>), then watch the
        overview: its row turns down within two probe intervals and recovers when you bring it back.
      </p>
      <Table
        caption="Demo services"
        captionHidden
        rows={services}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ "data-demo-service": s.id })}
        columns={[
          { key: "service", header: "Service", primary: true, cell: (s) => s.name },
          {
            key: "address",
            header: "Address",
            className: "font-mono text-xs [overflow-wrap:anywhere]",
            cell: (s) => s.url,
          },
          { key: "mode", header: "Mode", cell: (s) => <span data-testid="demo-mode">{s.mode}</span> },
          {
            key: "change",
            header: "Change",
            cell: (s) => <ModeButtons serviceId={s.id} serviceName={s.name} current={s.mode} />,
          },
        ]}
      />
    </div>
  );
}

export default withDatabasePage(DemoPage);
