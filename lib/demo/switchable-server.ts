// One listener whose mode can flip at runtime. "down" must look like a dead process to clients (connection
// refused, existing connections cut), and recovery must come back on the same port so probes need no reconfig.
import type { AddressInfo, Server, Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { DEFAULT_SLOW_DELAY_MS, type DemoMode, type ModeState, type SetModeOptions } from "./types.js";

const CLIENT_SETTLE_MS = 15;

export type SimulatorContext = {
  readonly state: () => ModeState;
  readonly port: () => number;
  /** Resets whenever the service comes back from down, like a restarted process. */
  readonly startedAt: () => Date;
  /** Resolves false instead of rejecting when the service goes down mid-wait, so callers just drop the reply. */
  readonly sleep: (ms: number) => Promise<boolean>;
  readonly connectionCount: () => number;
  readonly dropConnections: () => void;
};

export type SwitchableServer = {
  readonly port: () => number;
  readonly host: string;
  readonly state: () => ModeState;
  readonly listen: () => Promise<void>;
  readonly setMode: (mode: DemoMode, options?: SetModeOptions) => Promise<void>;
  readonly close: () => Promise<void>;
};

export type SwitchableServerOptions = {
  readonly host: string;
  readonly port: number;
  readonly build: (ctx: SimulatorContext) => Server;
  /** Lets a simulator react to a mode change, e.g. Postgres cutting sessions when it "restarts" into recovery. */
  readonly onModeChange?: (state: ModeState, ctx: SimulatorContext) => void;
};

export function createSwitchableServer(options: SwitchableServerOptions): SwitchableServer {
  const sockets = new Set<Socket>();
  let port = options.port;
  let listening = false;
  let startedAt = new Date();
  let state: ModeState = { mode: "healthy", delayMs: 0, since: new Date() };
  let aborter = new AbortController();
  let transitions: Promise<void> = Promise.resolve();

  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const ctx: SimulatorContext = {
    state: () => state,
    port: () => port,
    startedAt: () => startedAt,
    sleep: (ms) =>
      delay(ms, undefined, { signal: aborter.signal }).then(
        () => true,
        () => false,
      ),
    connectionCount: () => sockets.size,
    dropConnections,
  };

  const server = options.build(ctx);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    // A client resetting its connection is routine for a health target and must not crash the demo.
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });

  const openListener = async (): Promise<void> => {
    if (listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off("listening", onListening);
        reject(err);
      };
      const onListening = (): void => {
        server.off("error", onError);
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ host: options.host, port });
    });
    listening = true;
    startedAt = new Date();
    aborter = new AbortController();
    const address = server.address();
    if (address !== null && typeof address === "object") port = (address as AddressInfo).port;
  };

  const closeListener = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    aborter.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    dropConnections();
    await closed;
    // Lets clients see the FIN on their pooled keep-alive sockets before the caller probes again; otherwise an
    // immediate probe reuses a dead socket and gets "other side closed" instead of a refused connection.
    await delay(CLIENT_SETTLE_MS);
    // On a busy machine the timer can fire before the loop has polled the FIN; one pass of the poll phase after it
    // delivers the close to a client in this process (the tests) first.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const applyMode = async (mode: DemoMode, modeOptions: SetModeOptions): Promise<void> => {
    const previous = state;
    const delayMs = mode === "slow" ? (modeOptions.delayMs ?? DEFAULT_SLOW_DELAY_MS) : 0;
    const sameMode = previous.mode === mode;
    state = { mode, delayMs, since: sameMode ? previous.since : new Date() };
    try {
      if (mode === "down") await closeListener();
      else await openListener();
    } catch (err) {
      state = previous;
      throw err;
    }
    if (!sameMode) options.onModeChange?.(state, ctx);
  };

  // Serialised so a burst of control requests cannot interleave a close with a listen.
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const run = transitions.then(work);
    transitions = run.catch(() => undefined);
    return run;
  };

  return {
    port: () => port,
    host: options.host,
    state: () => state,
    listen: () => enqueue(openListener),
    setMode: (mode, modeOptions = {}) => enqueue(() => applyMode(mode, modeOptions)),
    close: () => enqueue(closeListener),
  };
}
