// Entry point for running the demo stack by hand (`npx tsx lib/demo/run-demo.ts`) or from a launcher script:
// starts the simulators and the control server and keeps them up until SIGINT/SIGTERM. The launcher passes the
// mesh gateway's PKI (`pki`); without one the stack makes a throwaway PKI.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_CONTROL_PORT, startControlServer, type ControlServer } from "./control-server.js";
import { ensureDemoPki } from "./demo-pki.js";
import { startDemoStack, type DemoStack, type DemoStackOptions } from "./stack.js";

export type RunDemoOptions = DemoStackOptions & {
  readonly controlPort?: number;
  readonly log?: (line: string) => void;
};

export type RunningDemo = {
  readonly stack: DemoStack;
  readonly control: ControlServer;
  readonly stop: () => Promise<void>;
};

export async function runDemo(options: RunDemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stack = await startDemoStack(options);
  let control: ControlServer;
  try {
    control = await startControlServer({ stack, host: stack.host, port: options.controlPort ?? DEFAULT_CONTROL_PORT });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  for (const service of stack.services) log(`demo ${service.id.padEnd(12)} ${service.url}`);
  log(
    `demo control      ${control.url}/services  (POST /services/:id/mode {"mode":"down"|"healthy"|"failing"|"slow"})`,
  );
  return {
    stack,
    control,
    stop: async () => {
      await control.stop();
      await stack.stop();
    },
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // No top-level await, so bundlers that import this module for runDemo() need not support it. The gateway's PKI
  // goes to PREFLIGHT_DATA_DIR/demo-pki, where the shipped configuration looks by default (.preflight/demo-pki), so
  // an `npm start` beside this stack can probe it.
  const pkiDir = resolve(process.env.PREFLIGHT_DATA_DIR || ".preflight", "demo-pki");
  ensureDemoPki(pkiDir)
    .then(({ pki }) => {
      console.log(`demo pki          ${pkiDir}`);
      return runDemo({ pki });
    })
    .then(
      (demo) => {
        const shutdown = (): void => {
          void demo.stop().then(() => process.exit(0));
        };
        process.once("SIGINT", shutdown);
        process.once("SIGTERM", shutdown);
      },
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
}
