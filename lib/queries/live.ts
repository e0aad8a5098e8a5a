import { getEventBus } from "../events/current";
import { getEmbeddedWorker } from "../worker/embedded";

/**
 * Whether stored results reach this server's event bus: over Redis while it answers, or from a worker inside this
 * process. While Redis is unreachable the answer is no, so a page rendered then polls.
 */
export async function isWorkerReachable(): Promise<boolean> {
  const bus = getEventBus();
  if (bus.kind === "redis") return bus.state() === "up";
  return (await getEmbeddedWorker()) != null;
}
