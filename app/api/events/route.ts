import { connection } from "next/server";
import { getActorFromRequest } from "@/lib/auth/session";
import { withDatabase } from "@/lib/http/database";
import { getEventBus } from "@/lib/events/current";
import { createEventStream } from "@/lib/events/stream";
import { getLogger } from "@/lib/logger";

const ENDED = {
  inactive: "the session is no longer active",
  "check-failed": "the session could not be checked",
} as const;

/**
 * Server-sent events: every stored batch of results, as it is stored. Browsers reconnect by themselves
 * (retry: 2 s); a comment every 15 s keeps proxies from closing an idle stream. A person disabled by an admin or
 * whose sessions were ended loses the stream at once (an access-change notice on the bus, every replica); the
 * session is also asked again every 2 s, and before a send when the last answer is older, which catches an
 * expiry or a sign-out elsewhere within about 2 s. The browser's reconnection gets 401.
 * While the bus is down (Redis unreachable), a stream, new or open, gets `event: degraded` with `retry: 5000` and
 * ends: the page polls, the browser asks again every 5 s, and the first stream after Redis is back says `hello`.
 */
export const GET = withDatabase(async (request: Request) => {
  await connection();
  const actor = await getActorFromRequest(request);
  if (!actor) return Response.json({ error: "sign in to follow live updates" }, { status: 401 });
  const stream = createEventStream({
    bus: getEventBus(),
    userId: actor.id,
    // The same question every request asks (session, user, disabled), on this request's own cookie.
    isStillActive: async () => (await getActorFromRequest(request))?.id === actor.id,
    signal: request.signal,
    onRevoked: (reason) => getLogger().info({ userId: actor.id, reason }, `live event stream ended: ${ENDED[reason]}`),
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
