import { getLogger } from "../logger";
import { getEventBus } from "./current";

/**
 * Tells every open event stream of this person, on every replica, that their access changed (disabled, sessions
 * ended): each asks again at once and ends if the answer is no. Called after the change has committed. Best effort:
 * if the bus is down the streams still re-check within 2 s.
 */
export async function announceAccessChange(userId: string): Promise<void> {
  try {
    await getEventBus().publishAccessChange(userId);
  } catch (error) {
    getLogger().warn(
      { err: error, userId },
      "the access change could not be announced to open event streams; they re-check within 2 s",
    );
  }
}
