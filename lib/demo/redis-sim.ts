// A RESP2 server that behaves like Redis 7.2 towards health probes and client handshakes (ioredis sends
// HELLO 3, CLIENT SETINFO/SETNAME, SELECT and INFO before it reports ready).
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { createReplyQueue } from "./reply-queue.js";
import { encodeArray, encodeBulk, encodeError, encodeInteger, encodeSimple, parseRespCommand } from "./resp.js";
import type { SimulatorContext } from "./switchable-server.js";

export const REDIS_VERSION = "7.2.4";
export const REDIS_LOADING_ERROR = "LOADING Redis is loading the dataset in memory";

// Real Redis also serves INFO while loading; we refuse it too, because ioredis' ready check would otherwise
// retry silently forever and a probe would see a timeout instead of the LOADING error the outage is about.
const ALLOWED_WHILE_LOADING = new Set(["hello", "auth", "client", "select", "quit"]);
const INFO_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "keyspace",
] as const;

type Session = { readonly id: number; name: string | null };
type Reply = { readonly text: string; readonly close?: boolean };
type ServerStats = { connections: number; commands: number; runId: string; store: Map<string, string> };

const ok = (): Reply => ({ text: encodeSimple("OK") });
const fail = (message: string): Reply => ({ text: encodeError(message) });
const wrongArity = (name: string): Reply => fail(`ERR wrong number of arguments for '${name}' command`);

export function buildRedisServer(ctx: SimulatorContext): Server {
  const stats: ServerStats = { connections: 0, commands: 0, runId: randomBytes(20).toString("hex"), store: new Map() };
  let nextClientId = 1;

  return createServer((socket) => {
    stats.connections += 1;
    const session: Session = { id: nextClientId++, name: null };
    const queue = createReplyQueue(socket, ctx);
    let pending: Buffer = Buffer.alloc(0);
    let closing = false;

    socket.on("data", (data: Buffer) => {
      if (closing) return;
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      for (;;) {
        const parsed = parseRespCommand(pending);
        if (parsed.kind === "incomplete") return;
        if (parsed.kind === "error") {
          closing = true;
          queue.sendAndEnd(encodeError(`ERR ${parsed.message}`));
          return;
        }
        pending = pending.subarray(parsed.consumed);
        if (parsed.args.length === 0) continue;
        stats.commands += 1;
        const reply = executeCommand(parsed.args, session, stats, ctx);
        if (reply.close === true) {
          closing = true;
          queue.sendAndEnd(reply.text);
          return;
        }
        queue.send(reply.text);
      }
    });
  });
}

function executeCommand(args: readonly string[], session: Session, stats: ServerStats, ctx: SimulatorContext): Reply {
  const [rawName = "", ...rest] = args;
  const name = rawName.toLowerCase();
  if (ctx.state().mode === "failing" && !ALLOWED_WHILE_LOADING.has(name)) return fail(REDIS_LOADING_ERROR);
  switch (name) {
    case "ping":
      if (rest.length > 1) return wrongArity(name);
      return { text: rest[0] === undefined ? encodeSimple("PONG") : encodeBulk(rest[0]) };
    case "echo":
      return rest.length === 1 ? { text: encodeBulk(rest[0] ?? "") } : wrongArity(name);
    case "info":
      return {
        text: encodeBulk(
          renderInfo(
            rest.map((s) => s.toLowerCase()),
            stats,
            ctx,
          ),
        ),
      };
    case "quit":
      return { text: encodeSimple("OK"), close: true };
    case "auth":
      // The demo has no password; accepting any keeps probes configured for a real, protected Redis working.
      return rest.length === 1 || rest.length === 2 ? ok() : wrongArity(name);
    case "select": {
      const index = Number(rest[0]);
      if (rest.length !== 1) return wrongArity(name);
      if (!Number.isInteger(index)) return fail("ERR value is not an integer or out of range");
      return index >= 0 && index < 16 ? ok() : fail("ERR DB index is out of range");
    }
    case "hello":
      return executeHello(rest, session);
    case "client":
      return executeClient(rest, session);
    case "get":
      return rest.length === 1 ? { text: encodeBulk(stats.store.get(rest[0] ?? "") ?? null) } : wrongArity(name);
    case "set":
      if (rest.length < 2) return wrongArity(name);
      stats.store.set(rest[0] ?? "", rest[1] ?? "");
      return ok();
    case "del":
      if (rest.length === 0) return wrongArity(name);
      return { text: encodeInteger(rest.filter((key) => stats.store.delete(key)).length) };
    case "dbsize":
      return { text: encodeInteger(stats.store.size) };
    case "time": {
      const micros = BigInt(Date.now()) * 1000n;
      return { text: encodeArray([encodeBulk(String(micros / 1_000_000n)), encodeBulk(String(micros % 1_000_000n))]) };
    }
    default: {
      const shown = rest
        .slice(0, 5)
        .map((arg) => `'${arg}' `)
        .join("");
      return fail(`ERR unknown command '${rawName}', with args beginning with: ${shown}`);
    }
  }
}

/** RESP3 is out of scope, so HELLO 3 gets the NOPROTO refusal that makes clients such as ioredis fall back to RESP2. */
function executeHello(rest: readonly string[], session: Session): Reply {
  const version = rest[0];
  if (version !== undefined && !/^\d+$/.test(version))
    return fail("ERR Protocol version is not an integer or out of range");
  if (version !== undefined && version !== "2") return fail("NOPROTO sorry, this protocol version is not supported");
  const setName = rest.findIndex((arg) => arg.toLowerCase() === "setname");
  if (setName !== -1) session.name = rest[setName + 1] ?? null;
  const fields: [string, string][] = [
    ["server", encodeBulk("redis")],
    ["version", encodeBulk(REDIS_VERSION)],
    ["proto", encodeInteger(2)],
    ["id", encodeInteger(session.id)],
    ["mode", encodeBulk("standalone")],
    ["role", encodeBulk("master")],
    ["modules", encodeArray([])],
  ];
  return { text: encodeArray(fields.flatMap(([key, value]) => [encodeBulk(key), value])) };
}

function executeClient(rest: readonly string[], session: Session): Reply {
  const sub = (rest[0] ?? "").toLowerCase();
  switch (sub) {
    case "setname": {
      const name = rest[1];
      if (name === undefined || rest.length !== 2) return wrongArity("client|setname");
      if (/[\s\x00-\x20\x7f]/.test(name))
        return fail("ERR Client names cannot contain spaces, newlines or special characters.");
      session.name = name === "" ? null : name;
      return ok();
    }
    case "getname":
      return { text: encodeBulk(session.name) };
    case "setinfo":
      return rest.length === 3 ? ok() : wrongArity("client|setinfo");
    case "id":
      return { text: encodeInteger(session.id) };
    default:
      return fail(`ERR unknown subcommand '${rest[0] ?? ""}'. Try CLIENT HELP.`);
  }
}

function renderInfo(requested: readonly string[], stats: ServerStats, ctx: SimulatorContext): string {
  const everything =
    requested.length === 0 || requested.some((s) => s === "all" || s === "default" || s === "everything");
  const sections = INFO_SECTIONS.filter((section) => everything || requested.includes(section));
  return sections.map((section) => renderInfoSection(section, stats, ctx)).join("\r\n");
}

function renderInfoSection(section: (typeof INFO_SECTIONS)[number], stats: ServerStats, ctx: SimulatorContext): string {
  const uptime = Math.floor((Date.now() - ctx.startedAt().getTime()) / 1000);
  const usedMemory = 1_048_576 + stats.store.size * 96;
  const fields: Record<(typeof INFO_SECTIONS)[number], [string, string | number][]> = {
    server: [
      ["redis_version", REDIS_VERSION],
      ["redis_git_sha1", "00000000"],
      ["redis_git_dirty", 0],
      ["redis_mode", "standalone"],
      ["os", `Linux ${process.arch}`],
      ["arch_bits", 64],
      ["process_id", process.pid],
      ["run_id", stats.runId],
      ["tcp_port", ctx.port()],
      ["uptime_in_seconds", uptime],
      ["uptime_in_days", Math.floor(uptime / 86_400)],
    ],
    clients: [
      ["connected_clients", ctx.connectionCount()],
      ["blocked_clients", 0],
      ["maxclients", 10000],
    ],
    memory: [
      ["used_memory", usedMemory],
      ["used_memory_human", `${(usedMemory / 1_048_576).toFixed(2)}M`],
      ["maxmemory", 0],
      ["maxmemory_policy", "noeviction"],
      ["mem_fragmentation_ratio", 1.12],
    ],
    persistence: [
      ["loading", 0],
      ["rdb_changes_since_last_save", 0],
      ["rdb_last_save_time", Math.floor(ctx.startedAt().getTime() / 1000)],
      ["rdb_last_bgsave_status", "ok"],
      ["aof_enabled", 0],
    ],
    stats: [
      ["total_connections_received", stats.connections],
      ["total_commands_processed", stats.commands],
      ["instantaneous_ops_per_sec", 3],
      ["rejected_connections", 0],
      ["keyspace_hits", 0],
      ["keyspace_misses", 0],
    ],
    replication: [
      ["role", "master"],
      ["connected_slaves", 0],
      ["master_replid", stats.runId],
      ["master_repl_offset", 0],
    ],
    cpu: [
      ["used_cpu_sys", (uptime * 0.0021).toFixed(6)],
      ["used_cpu_user", (uptime * 0.0034).toFixed(6)],
    ],
    keyspace: stats.store.size > 0 ? [["db0", `keys=${stats.store.size},expires=0,avg_ttl=0`]] : [],
  };
  const title = section === "cpu" ? "CPU" : section.charAt(0).toUpperCase() + section.slice(1);
  return `# ${title}\r\n${fields[section].map(([key, value]) => `${key}:${value}\r\n`).join("")}`;
}
