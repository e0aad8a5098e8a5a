import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseEnv, ZEnv } from "../lib/env";

// docker-compose.yml cannot be run on this machine (no Docker engine), so it is checked statically: every
// service, port, volume and health check it promises is there and agrees with the app's own settings.

const root = join(import.meta.dirname, "..");
type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number };
};
const compose = parse(readFileSync(join(root, "docker-compose.yml"), "utf8")) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};
/** Resolves `${NAME:?message}` the way Compose does when the variable is set. */
// What an operator supplies for the required variables; ${NAME:-default} takes its default.
const SUPPLIED: Record<string, string> = { POSTGRES_PASSWORD: "pw", PREFLIGHT_AUTH_SECRET: "s".repeat(40) };
const resolveVars = (value: string) =>
  value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) => (kind === "-" ? (rest ?? "") : (SUPPLIED[name] ?? `<${name}>`)));

describe("docker-compose.yml", () => {
  it("declares postgres, redis, web and worker, each with a health check", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["postgres", "redis", "web", "worker"]);
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.healthcheck?.test?.length, `${name} has a healthcheck`).toBeGreaterThan(0);
      expect(svc.healthcheck?.interval, `${name} healthcheck interval`).toMatch(/^\d+s$/);
    }
  });

  it("publishes the ports the services listen on", () => {
    expect(service("postgres").ports).toContain("127.0.0.1:5432:5432");
    expect(service("redis").ports).toContain("127.0.0.1:6379:6379");
    const port = service("web").environment?.PORT;
    expect(service("web").ports).toContain(`${port}:${port}`);
  });

  it("declares every named volume it mounts, and mounts the configuration where PREFLIGHT_CONFIG points", () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(":")[0] ?? "";
        if (source.startsWith(".") || source.startsWith("/")) {
          expect(existsSync(join(root, source)), `${name} mounts ${source}, which exists in the repository`).toBe(true);
        } else {
          expect(compose.volumes, `${name} mounts named volume ${source}`).toHaveProperty(source);
        }
      }
    }
    for (const name of ["web", "worker"]) {
      const svc = service(name);
      const configPath = svc.environment?.PREFLIGHT_CONFIG;
      expect(svc.volumes?.some((v) => v.split(":")[1] === configPath), `${name} mounts ${configPath}`).toBe(true);
    }
  });

  it("gives web and worker only settings the app knows, with values it accepts", () => {
    const known = new Set(Object.keys(ZEnv.shape));
    for (const name of ["web", "worker"]) {
      const environment = service(name).environment ?? {};
      for (const key of Object.keys(environment)) expect(known.has(key), `${name}: ${key} is read by lib/env.ts`).toBe(true);
      const resolved = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, resolveVars(v)]));
      expect(() => parseEnv(resolved)).not.toThrow();
    }
  });

  it("points DATABASE_URL and REDIS_URL at the compose services with matching credentials", () => {
    const pg = service("postgres").environment ?? {};
    for (const name of ["web", "worker"]) {
      const environment = service(name).environment ?? {};
      const db = new URL(resolveVars(environment.DATABASE_URL ?? ""));
      expect(db.hostname).toBe("postgres");
      expect(db.port).toBe("5432");
      expect(db.username).toBe(pg.POSTGRES_USER);
      expect(db.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(resolveVars(environment.DATABASE_URL ?? "")).toContain(`:${resolveVars(pg.POSTGRES_PASSWORD ?? "")}@`);
      expect(new URL(environment.REDIS_URL ?? "").hostname).toBe("redis");
      for (const [dep, { condition }] of Object.entries(service(name).depends_on ?? {})) {
        expect(condition).toBe("service_healthy");
        expect(service(dep).healthcheck).toBeDefined();
      }
    }
  });

  it("runs the scheduler only in the worker, whose health check reads the heartbeat file it writes", () => {
    expect(service("web").environment?.PREFLIGHT_EMBEDDED_WORKER).toBe("false");
    expect(service("worker").command).toEqual(["npm", "run", "worker"]);
    const file = service("worker").environment?.PREFLIGHT_HEARTBEAT_FILE ?? "";
    expect(file).not.toBe("");
    expect(service("worker").healthcheck?.test.join(" ")).toContain(file);
  });

  it("checks the web server through /api/health on its own port", () => {
    const test = service("web").healthcheck?.test.join(" ") ?? "";
    expect(test).toContain(`http://127.0.0.1:${service("web").environment?.PORT}/api/health`);
    expect(existsSync(join(root, "app", "api", "health", "route.ts"))).toBe(true);
  });

  it("builds web and worker from the repository's Dockerfile", () => {
    expect(service("web").build).toBe(".");
    expect(service("worker").build).toBe(".");
    expect(existsSync(join(root, "Dockerfile"))).toBe(true);
  });
});
