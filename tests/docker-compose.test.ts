import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
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
  restart?: string;
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
const SUPPLIED: Record<string, string> = {
  POSTGRES_PASSWORD: "pw",
  PREFLIGHT_DB_OWNER_PASSWORD: "owner-pw",
  PREFLIGHT_DB_APP_PASSWORD: "app-pw",
  PREFLIGHT_AUTH_SECRET: "s".repeat(40),
};
const resolveVars = (value: string) =>
  value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) =>
    kind === "-" ? (rest ?? "") : (SUPPLIED[name] ?? `<${name}>`),
  );

const INIT_DIR = "deploy/postgres-init";
const INIT_SCRIPT = "10-preflight-roles.sh";
const OWNER = "preflight_owner";
const APP_GROUP = "preflight_app";
const APP_LOGIN = "preflight";

describe("docker-compose.yml", () => {
  it("declares postgres, redis, the one-shot migrate, web and worker, each long-running one with a health check", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["migrate", "postgres", "redis", "web", "worker"]);
    for (const [name, svc] of Object.entries(compose.services)) {
      if (name === "migrate") continue;
      expect(svc.healthcheck?.test?.length, `${name} has a healthcheck`).toBeGreaterThan(0);
      expect(svc.healthcheck?.interval, `${name} healthcheck interval`).toMatch(/^\d+s$/);
    }
    // Runs to completion once and is not restarted; web and worker wait for it.
    expect(service("migrate").command).toEqual(["npm", "run", "db:migrate"]);
    expect(service("migrate").restart).toBe("no");
    expect(service("migrate").build).toBe(".");
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
      expect(
        svc.volumes?.some((v) => v.split(":")[1] === configPath),
        `${name} mounts ${configPath}`,
      ).toBe(true);
    }
  });

  it("gives migrate, web and worker only settings the app knows, with values it accepts", () => {
    const known = new Set(Object.keys(ZEnv.shape));
    for (const name of ["migrate", "web", "worker"]) {
      const environment = service(name).environment ?? {};
      for (const key of Object.keys(environment))
        expect(known.has(key), `${name}: ${key} is read by lib/env.ts`).toBe(true);
      const resolved = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, resolveVars(v)]));
      expect(() => parseEnv(resolved)).not.toThrow();
    }
  });

  it("points DATABASE_URL and REDIS_URL at the compose services with matching credentials", () => {
    const pg = service("postgres").environment ?? {};
    for (const name of ["migrate", "web", "worker"]) {
      const environment = service(name).environment ?? {};
      const db = new URL(resolveVars(environment.DATABASE_URL ?? ""));
      expect(db.hostname).toBe("postgres");
      expect(db.port).toBe("5432");
      expect(db.username).toBe(APP_LOGIN);
      expect(db.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(db.password).toBe(resolveVars(pg.PREFLIGHT_DB_APP_PASSWORD ?? ""));
      if (name !== "migrate") expect(new URL(environment.REDIS_URL ?? "").hostname).toBe("redis");
      for (const [dep, { condition }] of Object.entries(service(name).depends_on ?? {})) {
        if (dep === "migrate") {
          expect(condition).toBe("service_completed_successfully");
        } else {
          expect(condition).toBe("service_healthy");
          expect(service(dep).healthcheck).toBeDefined();
        }
      }
    }
    for (const name of ["web", "worker"]) expect(service(name).depends_on).toHaveProperty("migrate");
  });

  it("migrates as the owner role, and runs web and worker as a login role that owns nothing, without the owner's password", () => {
    const pg = service("postgres").environment ?? {};
    const owner = new URL(resolveVars(service("migrate").environment?.DATABASE_MIGRATE_URL ?? ""));
    expect(owner.username).toBe(OWNER);
    expect(owner.password).toBe(resolveVars(pg.PREFLIGHT_DB_OWNER_PASSWORD ?? ""));
    expect(owner.hostname).toBe("postgres");
    expect(owner.pathname).toBe(`/${pg.POSTGRES_DB}`);
    // Neither the image's superuser nor the owner is what the app logs in as.
    expect(new Set([pg.POSTGRES_USER, OWNER, APP_LOGIN]).size).toBe(3);
    for (const name of ["web", "worker"]) {
      const values = Object.values(service(name).environment ?? {}).map(resolveVars);
      expect(service(name).environment, `${name} has no migration connection`).not.toHaveProperty(
        "DATABASE_MIGRATE_URL",
      );
      expect(
        values.some((v) => v.includes(SUPPLIED.PREFLIGHT_DB_OWNER_PASSWORD ?? "?")),
        `${name} never sees the owner's password`,
      ).toBe(false);
      expect(
        values.some((v) => v.includes(`:${SUPPLIED.POSTGRES_PASSWORD}@`)),
        `${name} never sees the superuser's password`,
      ).toBe(false);
    }
  });

  it("makes the roles with the init script it mounts, from the passwords it passes to postgres", () => {
    expect(service("postgres").volumes).toContain(`./${INIT_DIR}:/docker-entrypoint-initdb.d:ro`);
    const script = readFileSync(join(root, INIT_DIR, INIT_SCRIPT), "utf8");
    expect(
      statSync(join(root, INIT_DIR, INIT_SCRIPT)).mode & 0o111,
      "the entrypoint runs it only when executable",
    ).not.toBe(0);
    expect(script).toMatch(
      new RegExp(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password'`),
    );
    expect(script).toMatch(new RegExp(`CREATE ROLE ${APP_GROUP} NOLOGIN`));
    expect(script).toMatch(
      new RegExp(
        `CREATE ROLE ${APP_LOGIN} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password' IN ROLE ${APP_GROUP}`,
      ),
    );
    expect(script).toContain(`ALTER DATABASE :"db" OWNER TO ${OWNER}`);
    for (const variable of ["PREFLIGHT_DB_OWNER_PASSWORD", "PREFLIGHT_DB_APP_PASSWORD"]) {
      expect(script).toContain(`"$${variable}"`);
      expect(service("postgres").environment).toHaveProperty(variable);
    }
    // The group the migrations grant the app's privileges to.
    const migrations = readdirSync(join(root, "prisma", "migrations")).map((d) =>
      join(root, "prisma", "migrations", d, "migration.sql"),
    );
    expect(
      migrations.some(
        (file) =>
          existsSync(file) &&
          readFileSync(file, "utf8").includes(`GRANT SELECT, INSERT ON "audit_log" TO ${APP_GROUP}`),
      ),
    ).toBe(true);
  });

  it("keeps the data directory, where the audit anchor is written, on a volume web and worker share", () => {
    for (const name of ["web", "worker"]) {
      const dir = service(name).environment?.PREFLIGHT_DATA_DIR ?? "";
      expect(dir, `${name} sets PREFLIGHT_DATA_DIR`).toMatch(/^\//);
      expect(service(name).volumes).toContain(`preflight-data:${dir}`);
    }
    expect(service("web").environment?.PREFLIGHT_DATA_DIR).toBe(service("worker").environment?.PREFLIGHT_DATA_DIR);
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

  it("builds migrate, web and worker from the repository's Dockerfile", () => {
    expect(service("migrate").build).toBe(".");
    expect(service("web").build).toBe(".");
    expect(service("worker").build).toBe(".");
    expect(existsSync(join(root, "Dockerfile"))).toBe(true);
  });
});
