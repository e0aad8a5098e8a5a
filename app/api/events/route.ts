import { connection } from "next/server";
import { getActorFromRequest } from "@/lib/auth/session";
import { getEventBus } from "@/lib/events/current";

/**
 * Server-sent events: every stored batch of results, as it is stored. Browsers reconnect by themselves
 * (retry: 2 s); a comment every 15 s keeps proxies from closing an idle stream.
 */
export async function GET(request: Request) {
  await connection();
  if (!(await getActorFromRequest(request))) return Response.json({ error: "sign in to follow live updates" }, { status: 401 });
  const bus = getEventBus();
  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ bus: bus.kind, at: new Date().toISOString() })}\n\n`);
      const unsubscribe = bus.subscribe((event) => send(`event: results\ndata: ${JSON.stringify(event)}\n\n`));
      const keepAlive = setInterval(() => send(`: keep-alive\n\n`), 15_000);
      cleanup = () => {
        clearInterval(keepAlive);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
