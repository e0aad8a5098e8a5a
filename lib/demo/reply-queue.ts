// Ordered replies for the TCP simulators. Slow mode adds latency, not a throughput limit: each reply is due
// `delayMs` after its request arrived, so pipelined requests all come back about one delay later, in order.
import type { Socket } from "node:net";
import type { SimulatorContext } from "./switchable-server.js";

export type ReplyQueue = {
  readonly send: (chunk: string | Buffer) => void;
  /** Sends the chunk (if any) and then half-closes, after anything queued before it. */
  readonly sendAndEnd: (chunk?: string | Buffer) => void;
};

export function createReplyQueue(socket: Socket, ctx: SimulatorContext): ReplyQueue {
  let tail: Promise<void> = Promise.resolve();

  const enqueue = (chunk: string | Buffer | undefined, end: boolean): void => {
    const { mode, delayMs } = ctx.state();
    const dueAt = Date.now() + (mode === "slow" ? delayMs : 0);
    tail = tail.then(async () => {
      const wait = dueAt - Date.now();
      if (wait > 0 && !(await ctx.sleep(wait))) return;
      if (socket.destroyed || !socket.writable) return;
      if (chunk !== undefined) socket.write(chunk);
      if (end) socket.end();
    });
  };

  return {
    send: (chunk) => enqueue(chunk, false),
    sendAndEnd: (chunk) => enqueue(chunk, true),
  };
}
