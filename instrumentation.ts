export async function register() {
  // The scheduler needs Node APIs (sockets, timers); the edge runtime never runs it.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startEmbeddedWorker } = await import("./lib/worker/embedded");
  await startEmbeddedWorker();
}
