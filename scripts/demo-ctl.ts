// `npm run demo:ctl -- <service> <healthy|down|failing|slow> [delayMs]` and `npm run demo:ctl -- list`:
// drives the demo stack of a running `npm run demo`.
import { answerHelp } from "./cli-help";

const usage = `usage: npm run demo:ctl -- list
       npm run demo:ctl -- SERVICE healthy|down|failing|slow [DELAY_MS]
Drives the demo stack of a running \`npm run demo\` (its control server: PREFLIGHT_DEMO_CONTROL_URL, default
http://127.0.0.1:17399). down refuses connections, failing answers unhealthy, slow answers after DELAY_MS.`;

answerHelp(usage);

const base = process.env.PREFLIGHT_DEMO_CONTROL_URL ?? "http://127.0.0.1:17399";
const [service, mode, delay] = process.argv.slice(2);

async function main(): Promise<number> {
  if (!service || service === "list") {
    const response = await fetch(`${base}/services`);
    const services = (await response.json()) as { id: string; name: string; url: string; mode: string }[];
    for (const s of services) console.log(`${s.id.padEnd(13)} ${s.mode.padEnd(8)} ${s.name.padEnd(13)} ${s.url}`);
    return 0;
  }
  if (!mode) {
    console.error(usage);
    return 2;
  }
  const body: { mode: string; delayMs?: number } = { mode };
  if (delay !== undefined) body.delayMs = Number(delay);
  const response = await fetch(`${base}/services/${encodeURIComponent(service)}/mode`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as { error?: string; id?: string; mode?: string };
  if (!response.ok) {
    console.error(`demo:ctl: ${reply.error ?? `HTTP ${response.status}`}`);
    return 1;
  }
  console.log(`${reply.id} is now ${reply.mode}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `demo:ctl: cannot reach the demo control server at ${base} (is \`npm run demo\` running?): ${(error as Error).message}`,
    );
    process.exit(1);
  },
);
