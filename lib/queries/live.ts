import { getEventBus } from "../events/current";
import { getEmbeddedWorker } from "../worker/embedded";

/** Whether stored results reach this server's event bus: over Redis, or from a worker inside this process. */
export async function isWorkerReachable(): Promise<boolean> {
  if (getEventBus().kind === "redis") return true;
  return (await getEmbeddedWorker()) != null;
}
