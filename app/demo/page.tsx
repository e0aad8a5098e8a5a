import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { listDemoServices } from "@/lib/queries/demo";
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
        real health protocol; the mesh gateway answers only TLS 1.3 clients with a certificate of the demo CA. Stop or break one here (or run <code className="font-mono">npm run demo:ctl -- api down</code>),
        then watch the overview: its row turns down within two probe intervals and recovers when you bring it back.
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Demo services</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2">Service</th>
              <th scope="col" className="px-3 py-2">Address</th>
              <th scope="col" className="px-3 py-2">Mode</th>
              <th scope="col" className="px-3 py-2">Change</th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr key={s.id} data-demo-service={s.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                <th scope="row" className="px-3 py-2 font-semibold">{s.name}</th>
                <td className="px-3 py-2 font-mono text-xs">{s.url}</td>
                <td className="px-3 py-2" data-testid="demo-mode">{s.mode}</td>
                <td className="px-3 py-2">
                  <ModeButtons serviceId={s.id} serviceName={s.name} current={s.mode} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export default withDatabasePage(DemoPage);
