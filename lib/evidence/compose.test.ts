import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  COMPOSE_RULES,
  parseCompose,
  parseImageReference,
  parsePortSpec,
  parseVolumeSpec,
  portFindings,
  type TComposeReport,
  type TComposeRule,
} from "./compose";

// Compose files as Compose itself reads them (compose-go: merge keys, !reset/!override, extends, short syntaxes),
// on Preflight's own docker-compose.yml, the x0tta6bl4 example, and files written after the spec and compose-go.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function report(text: string, bindHosts?: readonly string[]): TComposeReport {
  const result = parseCompose(text, bindHosts ? { bindHosts } : {});
  if (!result.ok) throw new Error(result.error);
  return result.report;
}

/** A compose file from a plain object: YAML is a superset of JSON. */
const json = (services: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  JSON.stringify({ services, ...rest });

function refused(text: string): string {
  const result = parseCompose(text);
  if (result.ok) throw new Error("expected a refusal");
  expect(result.malformed).toBe(false);
  return result.error;
}

function malformed(text: string): string {
  const result = parseCompose(text);
  if (result.ok) throw new Error("expected a malformed file");
  expect(result.malformed).toBe(true);
  return result.error;
}

const messages = (r: TComposeReport, rule: TComposeRule, service?: string) =>
  r.findings.filter((f) => f.rule === rule && (service === undefined || f.service === service)).map((f) => f.message);

/** A service that passes every rule, to vary one field at a time. */
const good = {
  image: "nginx:1.27",
  restart: "unless-stopped",
  healthcheck: { test: ["CMD", "true"] },
};

describe("parseCompose on real files", () => {
  it("reads Preflight's own docker-compose.yml: one finding, web's port 3000 on all interfaces", () => {
    const r = report(fixture("compose-preflight.yml"));
    expect(r.name).toBe("preflight");
    expect(r.services).toEqual(["postgres", "redis", "migrate", "web", "worker"]);
    // migrate runs once (restart "no", awaited with service_completed_successfully): exempt from healthcheck and
    // restart. migrate, web and worker are built from the source (build: .): nothing to pin.
    expect(r.rules).toEqual({
      healthcheck: { checked: 4, failed: 0 },
      restart: { checked: 4, failed: 0 },
      imagePinned: { checked: 5, failed: 0 },
      namedVolumes: { checked: 4, failed: 0 },
      hostNetwork: { checked: 5, failed: 0 },
      ports: { checked: 3, failed: 1 },
    });
    expect(r.ports).toEqual([
      { service: "postgres", hostIp: "127.0.0.1", published: "5432", target: "5432", protocol: "tcp" },
      { service: "redis", hostIp: "127.0.0.1", published: "6379", target: "6379", protocol: "tcp" },
      { service: "web", hostIp: null, published: "3000", target: "3000", protocol: "tcp" },
    ]);
    expect(r.findings).toEqual([
      {
        rule: "ports",
        service: "web",
        message: "host port 3000 → 3000/tcp is published on all interfaces, not only on 127.0.0.1 or ::1",
      },
    ]);
  });

  it("passes every rule on the x0tta6bl4 example, whose defaults come from merge keys", () => {
    const text = fixture("compose-x0tta6bl4.yml");
    expect(text).toBe(readFileSync(new URL("../../examples/x0tta6bl4/docker-compose.yml", import.meta.url), "utf8"));
    const r = report(text);
    expect(r.name).toBe("x0tta6bl4");
    expect(r.services).toEqual([
      "api",
      "postgres",
      "redis",
      "prometheus",
      "grafana",
      "alertmanager",
      "jaeger",
      "gateway",
    ]);
    expect(r.findings).toEqual([]);
    expect(r.rules).toEqual({
      healthcheck: { checked: 8, failed: 0 },
      restart: { checked: 8, failed: 0 },
      imagePinned: { checked: 8, failed: 0 },
      namedVolumes: { checked: 6, failed: 0 },
      hostNetwork: { checked: 8, failed: 0 },
      ports: { checked: 8, failed: 0 },
    });
    expect(r.ports.map((p) => `${p.hostIp}:${p.published}:${p.target}`)).toEqual([
      "127.0.0.1:18000:8000",
      "127.0.0.1:15432:5432",
      "127.0.0.1:16379:6379",
      "127.0.0.1:19090:9090",
      "127.0.0.1:13000:3000",
      "127.0.0.1:19093:9093",
      "127.0.0.1:14269:14269",
      "127.0.0.1:16686:16686",
      "127.0.0.1:18443:8443",
    ]);
    // With the gateway public, as a check for the ingress may allow, it still passes; with no loopback it fails.
    expect(portFindings(r.ports, ["10.0.0.5"])).toHaveLength(9);
  });
});

describe("healthcheck", () => {
  it("passes a test in exec or shell form, and fails none, a disabled one, or one with no test", () => {
    const r = report(
      json({
        exec: good,
        shell: { ...good, healthcheck: { test: "curl -f http://localhost/ || exit 1" } },
        shellList: { ...good, healthcheck: { test: ["CMD-SHELL", "pg_isready"] } },
        none: { image: "nginx:1.27", restart: "always" },
        disabled: { ...good, healthcheck: { test: ["CMD", "true"], disable: true } },
        NONE: { ...good, healthcheck: { test: ["NONE"] } },
        timingOnly: { ...good, healthcheck: { interval: "5s" } },
        empty: { ...good, healthcheck: { test: [] } },
        bare: { ...good, healthcheck: { test: ["CMD"] } },
        other: { ...good, healthcheck: { test: ["curl", "-f", "http://localhost/"] } },
      }),
    );
    expect(r.rules.healthcheck).toEqual({ checked: 10, failed: 7 });
    expect(r.findings.filter((f) => f.rule === "healthcheck").map((f) => [f.service, f.message])).toEqual([
      ["none", "no healthcheck in the compose file (an image HEALTHCHECK cannot be seen here)"],
      ["disabled", "the healthcheck is disabled (disable: true)"],
      ["NONE", 'the healthcheck is disabled (test: ["NONE"])'],
      [
        "timingOnly",
        "the healthcheck sets no test, so the image's HEALTHCHECK applies if it has one, which cannot be seen here",
      ],
      [
        "empty",
        "the healthcheck sets no test, so the image's HEALTHCHECK applies if it has one, which cannot be seen here",
      ],
      ["bare", "the healthcheck test is CMD with no command"],
      ["other", 'the healthcheck test starts with "curl": Docker reads CMD, CMD-SHELL or NONE first'],
    ]);
  });

  it("exempts a one-shot job from healthcheck and restart, unless it restarts always", () => {
    const r = report(
      json({
        migrate: { image: "app:1", restart: "no", command: ["migrate"] },
        seed: { image: "app:1", restart: "on-failure:3" },
        looping: { image: "app:1", restart: "always" },
        web: {
          ...good,
          depends_on: {
            migrate: { condition: "service_completed_successfully" },
            seed: { condition: "service_completed_successfully" },
            looping: { condition: "service_completed_successfully" },
          },
        },
        // Only the wait for completion makes a job: a service merely started first is long-running.
        worker: { ...good, depends_on: ["web"] },
      }),
    );
    expect(r.rules.healthcheck).toEqual({ checked: 3, failed: 1 });
    expect(r.rules.restart).toEqual({ checked: 3, failed: 0 });
    expect(r.findings.map((f) => [f.rule, f.service])).toEqual([["healthcheck", "looping"]]);
  });

  it("refuses a healthcheck of the wrong type, naming the service and field", () => {
    expect(refused(json({ web: { ...good, healthcheck: ["CMD", "true"] } }))).toBe(
      "services.web.healthcheck: expected a map, got an array",
    );
    expect(refused(json({ web: { ...good, healthcheck: { test: ["CMD", 1] } } }))).toBe(
      "services.web.healthcheck.test: expected a string or a list of strings, got an array",
    );
    expect(refused(json({ web: { ...good, healthcheck: { test: ["CMD", "x"], disable: "maybe" } } }))).toBe(
      "services.web.healthcheck.disable: expected true or false, got a string",
    );
  });
});

describe("restart", () => {
  it("passes always, unless-stopped and on-failure[:N]; fails no, none set, or an unknown policy", () => {
    const r = report(
      json({
        always: { ...good, restart: "always" },
        unlessStopped: { ...good, restart: "unless-stopped" },
        onFailure: { ...good, restart: "on-failure" },
        onFailure5: { ...good, restart: "on-failure:5" },
        no: { ...good, restart: "no" },
        absent: { image: "nginx:1.27", healthcheck: good.healthcheck },
        sometimes: { ...good, restart: "sometimes" },
      }),
    );
    expect(r.rules.restart).toEqual({ checked: 7, failed: 3 });
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      ["no", 'restart: "no": the container stays down after it exits or the host reboots'],
      [
        "absent",
        'no restart policy: Compose\'s default is "no", so the container stays down after it exits or the host reboots',
      ],
      ["sometimes", 'restart: "sometimes" is not a restart policy (no, always, on-failure[:N], unless-stopped)'],
    ]);
  });

  it("reads deploy.restart_policy, which wins over restart as in Docker Compose", () => {
    const r = report(
      json({
        any: { ...good, restart: "no", deploy: { restart_policy: { condition: "any" } } },
        onFailure: { ...good, deploy: { restart_policy: { condition: "on-failure", max_attempts: 3 } } },
        none: { ...good, restart: "always", deploy: { restart_policy: { condition: "none" } } },
        noCondition: { ...good, deploy: { restart_policy: { delay: "5s" } } },
        resourcesOnly: { ...good, deploy: { resources: { limits: { memory: "512M" } } } },
      }),
    );
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      ["none", 'deploy.restart_policy.condition: "none": the container stays down after it exits or the host reboots'],
      ["noCondition", "deploy.restart_policy names no condition: set condition: any or on-failure"],
    ]);
  });

  it("reads a variable's default, and reports a variable with none as unknown", () => {
    const r = report(
      json({ withDefault: { ...good, restart: "${RESTART:-always}" }, without: { ...good, restart: "${RESTART}" } }),
    );
    expect(messages(r, "restart")).toEqual([
      'restart "${RESTART}" is set by ${RESTART}, which has no default in the file, so it cannot be judged here (push the output of `docker compose config`, which resolves it)',
    ]);
    expect(refused(json({ web: { ...good, restart: false } }))).toBe(
      "services.web.restart: expected a string, got a boolean",
    );
  });
});

describe("imagePinned", () => {
  it("passes a version tag or a digest, fails no tag and latest, exempts a service built from source", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const r = report(
      json({
        tagged: { ...good, image: "redis:7-alpine" },
        registry: { ...good, image: "registry.example.com:5000/team/app:1.4.2" },
        digest: { ...good, image: `redis@${digest}` },
        latestAndDigest: { ...good, image: `redis:latest@${digest}` },
        untagged: { ...good, image: "redis" },
        portNoTag: { ...good, image: "host:5000/app" },
        latest: { ...good, image: "redis:latest" },
        invalid: { ...good, image: "Redis:7" },
        built: { ...good, image: undefined, build: "." },
        builtMap: { ...good, image: undefined, build: { context: ".", dockerfile: "Dockerfile" } },
        builtAndPulled: { ...good, image: "app:latest", build: "." },
        builtPolicy: { ...good, image: "app:latest", build: ".", pull_policy: "build" },
        defaultTag: { ...good, image: "app:${TAG:-1.2.3}" },
        unknownTag: { ...good, image: "app:${TAG}" },
      }),
    );
    expect(r.rules.imagePinned).toEqual({ checked: 14, failed: 6 });
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      [
        "untagged",
        'the image "redis" has no tag, so it runs whatever "latest" is when pulled: pin a version tag or a digest',
      ],
      [
        "portNoTag",
        'the image "host:5000/app" has no tag, so it runs whatever "latest" is when pulled: pin a version tag or a digest',
      ],
      ["latest", 'the image "redis:latest" uses the tag "latest", which moves: pin a version tag or a digest'],
      ["invalid", 'the image "Redis:7" is not a valid image reference'],
      ["builtAndPulled", 'the image "app:latest" uses the tag "latest", which moves: pin a version tag or a digest'],
      [
        "unknownTag",
        'the image "app:${TAG}" is set by ${TAG}, which has no default in the file, so it cannot be judged here (push the output of `docker compose config`, which resolves it)',
      ],
    ]);
  });

  it("refuses a service with neither image nor build", () => {
    expect(refused(json({ web: { restart: "always" } }))).toBe(
      "services.web: has neither image nor build, so Compose cannot run it",
    );
    expect(refused(json({ web: { ...good, image: ["nginx"] } }))).toBe(
      "services.web.image: expected a string, got an array",
    );
  });

  it.each([
    ["redis", null, null],
    ["redis:7", "7", null],
    ["library/redis:7.4-alpine", "7.4-alpine", null],
    ["docker.io/library/redis", null, null],
    ["host:5000/app", null, null],
    ["host:5000/app:1.0", "1.0", null],
    ["localhost/app:dev_1", "dev_1", null],
    ["[::1]:5000/app", null, null],
    ["[::1]:5000/app:2", "2", null],
    ["ghcr.io/a/b/c:v1.2.3", "v1.2.3", null],
    [`app@sha256:${"0".repeat(64)}`, null, `sha256:${"0".repeat(64)}`],
    [`app:1@sha256:${"0".repeat(64)}`, "1", `sha256:${"0".repeat(64)}`],
  ])("reads the image reference %s", (reference, tag, digest) => {
    expect(parseImageReference(reference)).toEqual({ tag, digest });
  });

  it.each([
    "",
    "Redis",
    "redis:",
    "redis:-x",
    `redis:${"a".repeat(129)}`,
    "redis@sha256:abc",
    `redis@sha256:${"a".repeat(63)}`,
    "a//b",
    "-a/b",
    "host:port/app",
    "app:1:2",
  ])("refuses %j as an image reference", (reference) => {
    expect(parseImageReference(reference)).toBeNull();
  });
});

describe("namedVolumes", () => {
  it("passes declared named volumes, tmpfs and read-only binds; fails writable binds, anonymous and undeclared volumes", () => {
    const r = report(
      json(
        {
          named: { ...good, volumes: ["data:/var/lib/data", { type: "volume", source: "data", target: "/more" }] },
          readOnly: {
            ...good,
            volumes: [
              "./conf:/etc/app:ro",
              "/etc/ssl:/etc/ssl:ro,z",
              { type: "bind", source: "./certs", target: "/certs", read_only: true },
            ],
          },
          tmpfs: { ...good, volumes: [{ type: "tmpfs", target: "/tmp" }] },
          hostPath: {
            ...good,
            volumes: [
              "./data:/var/lib/postgresql/data",
              "/srv/x:/x:rw",
              "~/cache:/cache",
              { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" },
            ],
          },
          anonymous: { ...good, volumes: ["/var/lib/data", { type: "volume", target: "/other" }] },
          undeclared: { ...good, volumes: ["cache:/cache"] },
          windows: { ...good, volumes: ["C:\\data:/data"] },
          none: good,
        },
        { volumes: { data: null } },
      ),
    );
    expect(r.rules.namedVolumes).toEqual({ checked: 7, failed: 4 });
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      [
        "hostPath",
        'writable bind mount of the host path "./data" at "/var/lib/postgresql/data": state in a host path, outside Compose\'s volumes (mount it read-only, or use a named volume)',
      ],
      [
        "hostPath",
        'writable bind mount of the host path "/srv/x" at "/x": state in a host path, outside Compose\'s volumes (mount it read-only, or use a named volume)',
      ],
      [
        "hostPath",
        'writable bind mount of the host path "~/cache" at "/cache": state in a host path, outside Compose\'s volumes (mount it read-only, or use a named volume)',
      ],
      [
        "hostPath",
        'writable bind mount of the host path "/var/run/docker.sock" at "/var/run/docker.sock": state in a host path, outside Compose\'s volumes (mount it read-only, or use a named volume)',
      ],
      [
        "anonymous",
        'an anonymous volume at "/var/lib/data": its data is left behind at the next docker compose down and up, under no name (use a named volume)',
      ],
      [
        "anonymous",
        'an anonymous volume at "/other": its data is left behind at the next docker compose down and up, under no name (use a named volume)',
      ],
      [
        "undeclared",
        'the named volume "cache" at "/cache" is not declared under the top-level volumes:, and Compose refuses an undeclared volume',
      ],
      [
        "windows",
        'writable bind mount of the host path "C:\\\\data" at "/data": state in a host path, outside Compose\'s volumes (mount it read-only, or use a named volume)',
      ],
    ]);
  });

  it("keeps one mount per target, the later one, as compose-go does", () => {
    const r = report(json({ web: { ...good, volumes: ["./data:/data", "data:/data"] } }, { volumes: { data: {} } }));
    expect(r.rules.namedVolumes).toEqual({ checked: 1, failed: 0 });
  });

  it.each([
    ["/data", { type: "volume", source: null, target: "/data", readOnly: false }],
    ["ab", { type: "volume", source: null, target: "ab", readOnly: false }],
    ["data:/data", { type: "volume", source: "data", target: "/data", readOnly: false }],
    ["data:/data:ro", { type: "volume", source: "data", target: "/data", readOnly: true }],
    ["./data:/data:ro,rw", { type: "bind", source: "./data", target: "/data", readOnly: false }],
    ["../x:/x:nocopy", { type: "bind", source: "../x", target: "/x", readOnly: false }],
    ["/srv:/srv:rslave,ro", { type: "bind", source: "/srv", target: "/srv", readOnly: true }],
    ["C:\\data:/data", { type: "bind", source: "C:\\data", target: "/data", readOnly: false }],
    [
      "\\\\pipe\\docker_engine:\\\\pipe\\docker_engine",
      { type: "bind", source: "\\\\pipe\\docker_engine", target: "\\\\pipe\\docker_engine", readOnly: false },
    ],
    ["${DATA}:/data", { type: "volume", source: "${DATA}", target: "/data", readOnly: false }],
    ["", "invalid empty volume spec"],
    [":/data", "empty section between colons"],
    ["data:/b:ro:x", "too many colons"],
    // A single letter and a colon is a Windows drive, wherever it stands (compose-go's isWindowsDrive).
    ["a:/b:ro", { type: "bind", source: "a:/b", target: "ro", readOnly: false }],
  ])("reads the volume spec %j", (spec, expected) => {
    expect(parseVolumeSpec(spec)).toEqual(expected);
  });

  it("refuses a long-syntax mount without a type or with an unknown one", () => {
    expect(refused(json({ web: { ...good, volumes: [{ source: "data", target: "/d" }] } }))).toBe(
      "services.web.volumes[0].type is required in the long syntax (one of volume, bind, tmpfs, npipe, cluster, image)",
    );
    expect(refused(json({ web: { ...good, volumes: [{ type: "nfs", target: "/d" }] } }))).toBe(
      'services.web.volumes[0].type: "nfs" is not a mount type (volume, bind, tmpfs, npipe, cluster, image)',
    );
    expect(refused(json({ web: { ...good, volumes: ["data:/b:/c:ro"] } }))).toBe(
      'services.web.volumes[0]: "data:/b:/c:ro" is not a volume (too many colons)',
    );
    expect(refused(json({ web: { ...good, volumes: "data:/data" } }))).toBe(
      "services.web.volumes: expected a list, got a string",
    );
    expect(refused(json({ web: good }, { volumes: ["data"] }))).toBe(
      "volumes: expected a map of volume names, got an array",
    );
  });
});

describe("hostNetwork", () => {
  it("fails network_mode, pid or ipc on the host; passes bridge, none and another service's stack", () => {
    const r = report(
      json({
        bridge: { ...good, network_mode: "bridge" },
        sidecar: { ...good, network_mode: "service:bridge" },
        isolated: { ...good, network_mode: "none" },
        host: { ...good, network_mode: "host" },
        pid: { ...good, pid: "host" },
        ipc: { ...good, ipc: "host", pid: null },
      }),
    );
    expect(r.rules.hostNetwork).toEqual({ checked: 6, failed: 3 });
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      [
        "host",
        "network_mode: host: the container shares the host's network stack: every port it listens on is open on the host, and no Compose network isolates it",
      ],
      [
        "pid",
        "pid: host: the container shares the host's process namespace: it sees and can signal every process on the host",
      ],
      ["ipc", "ipc: host: the container shares the host's IPC namespace (shared memory and semaphores)"],
    ]);
    expect(refused(json({ web: { ...good, network_mode: 1 } }))).toBe(
      "services.web.network_mode: expected a string, got a number",
    );
  });
});

describe("ports", () => {
  const spec = (hostIp: string | null, published: string | null, target: string, protocol = "tcp") => ({
    hostIp,
    published,
    target,
    protocol,
  });

  // What nat.ParsePortSpec gives (compose-go's types.ParsePortConfig), ranges kept whole.
  it.each([
    ["80", spec(null, null, "80")],
    ["8080:80", spec(null, "8080", "80")],
    ["127.0.0.1:8080:80", spec("127.0.0.1", "8080", "80")],
    ["127.0.0.1::80", spec("127.0.0.1", null, "80")],
    ["0.0.0.0:80:80", spec("0.0.0.0", "80", "80")],
    ["8000-8010:8000-8010", spec(null, "8000-8010", "8000-8010")],
    ["8000-8010:80", spec(null, "8000-8010", "80")],
    ["8080-8080:80", spec(null, "8080", "80")],
    ["8000-8010-9:8000-8010", spec(null, "8000-8010", "8000-8010")],
    ["8080:80/udp", spec(null, "8080", "80", "udp")],
    ["8080:80/UDP", spec(null, "8080", "80", "udp")],
    ["8080:80/", spec(null, "8080", "80")],
    ["53:53/sctp", spec(null, "53", "53", "sctp")],
    ["[::1]:8080:80", spec("::1", "8080", "80")],
    ["::1:8080:80", spec("::1", "8080", "80")],
    ["[::]:80:80", spec("::", "80", "80")],
    ["[127.0.0.1]:80:80", spec("127.0.0.1", "80", "80")],
    ["fe80::1:443:443/tcp", spec("fe80::1", "443", "443")],
    ["080:0080", spec(null, "80", "80")],
    ["65535", spec(null, null, "65535")],
  ])("reads the port %j", (raw, expected) => {
    expect(parsePortSpec(raw)).toEqual(expected);
  });

  it.each([
    ["", "no port specified: <empty>"],
    ["8080:", "no port specified: 8080:<empty>"],
    ["abc", "invalid containerPort: abc"],
    ["65536", "invalid containerPort: 65536"],
    ["+80", "invalid containerPort: +80"],
    ["8010-8000", "invalid containerPort: 8010-8000"],
    ["-1:80", "invalid hostPort: -1"],
    ["8080:80/icmp", "invalid proto: icmp"],
    ["8000-8010:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8000-8010"],
    ["80:8000-8010", "invalid ranges specified for container and host Ports: 8000-8010 and 80"],
    ["80:80:80:80", "invalid IP address: 80:80"],
    ["localhost:80:80", "invalid IP address: localhost"],
    ["127.0.0.01:80:80", "invalid IP address: 127.0.0.01"],
    ["[::1:80:80", "invalid IP address [::1"],
    ["[fe80::1%eth0]:80:80", "invalid IP address: fe80::1%eth0"],
  ])("refuses the port %j", (raw, error) => {
    expect(parsePortSpec(raw)).toBe(error);
  });

  it("passes ports bound to loopback, fails all interfaces and other addresses; expose publishes nothing", () => {
    const r = report(
      json({
        loopback: {
          ...good,
          ports: ["127.0.0.1:8080:80", "[::1]:8080:80", { target: 443, published: 8443, host_ip: "127.0.0.1" }],
        },
        everywhere: { ...good, ports: ["8080:80", "9000", 53, { target: 80, published: "8081" }] },
        wildcard: { ...good, ports: ["0.0.0.0:80:80", "[::]:81:81/udp"] },
        lan: { ...good, ports: [{ target: 80, host_ip: "10.0.0.5", protocol: "UDP" }] },
        exposeOnly: { ...good, expose: ["80"] },
      }),
    );
    expect(r.rules.ports).toEqual({ checked: 4, failed: 3 });
    expect(r.ports).toHaveLength(10);
    expect(r.findings.map((f) => [f.service, f.message])).toEqual([
      ["everywhere", "host port 8080 → 80/tcp is published on all interfaces, not only on 127.0.0.1 or ::1"],
      ["everywhere", "an ephemeral host port → 9000/tcp is published on all interfaces, not only on 127.0.0.1 or ::1"],
      ["everywhere", "an ephemeral host port → 53/tcp is published on all interfaces, not only on 127.0.0.1 or ::1"],
      ["everywhere", "host port 8081 → 80/tcp is published on all interfaces, not only on 127.0.0.1 or ::1"],
      [
        "wildcard",
        "host port 80 → 80/tcp is published on 0.0.0.0 (every IPv4 interface), not only on 127.0.0.1 or ::1",
      ],
      ["wildcard", "host port 81 → 81/udp is published on :: (every interface), not only on 127.0.0.1 or ::1"],
      ["lan", "an ephemeral host port → 80/udp is published on 10.0.0.5, not only on 127.0.0.1 or ::1"],
    ]);
  });

  it("judges against the bind hosts a check gives, here and from stored ports", () => {
    const text = json({ web: { ...good, ports: ["8080:80", "10.0.0.5:81:81", "0:0:0:0:0:0:0:1:82:82"] } });
    expect(report(text, ["10.0.0.5", "::1"]).findings.map((f) => f.message)).toEqual([
      "host port 8080 → 80/tcp is published on all interfaces, not only on 10.0.0.5 or ::1",
    ]);
    const { ports } = report(text);
    expect(portFindings(ports, ["0.0.0.0", "10.0.0.5", "::1"])).toEqual([]);
    expect(portFindings(ports, []).map((f) => f.message)).toEqual([
      "host port 8080 → 80/tcp is published on all interfaces, and no host address is allowed",
      "host port 81 → 81/tcp is published on 10.0.0.5, and no host address is allowed",
      "host port 82 → 82/tcp is published on 0:0:0:0:0:0:0:1, and no host address is allowed",
    ]);
  });

  it("keeps one entry per binding, the later one, as compose-go does", () => {
    const r = report(
      json({
        web: {
          ...good,
          ports: [
            "127.0.0.1:8080:80",
            "127.0.0.1:8080:80",
            { target: 80, published: 8080 },
            { target: 80, published: "8080", protocol: "tcp" },
          ],
        },
      }),
    );
    expect(r.ports).toHaveLength(2);
  });

  it("reads unquoted short syntax, which YAML 1.2 keeps a string (no base-60 numbers)", () => {
    expect(
      report("services:\n  web:\n    image: nginx:1\n    ports:\n      - 8080:80\n      - 127.0.0.1:22:22\n").ports.map(
        (p) => p.published,
      ),
    ).toEqual(["8080", "22"]);
  });

  it("reports a port set by a variable with no default, and reads one with a default", () => {
    const r = report(
      json({ web: { ...good, ports: ["127.0.0.1:${WEB_PORT:-8080}:80", "${BIND:-0.0.0.0}:81:81", "${WEB_PORT}:80"] } }),
    );
    expect(r.ports.map((p) => [p.hostIp, p.published])).toEqual([
      ["127.0.0.1", "8080"],
      ["0.0.0.0", "81"],
    ]);
    expect(messages(r, "ports")).toEqual([
      'the port "${WEB_PORT}:80" is set by ${WEB_PORT}, which has no default in the file, so it cannot be judged here (push the output of `docker compose config`, which resolves it)',
      "host port 81 → 81/tcp is published on 0.0.0.0 (every IPv4 interface), not only on 127.0.0.1 or ::1",
    ]);
  });

  it("refuses a port Compose would refuse, naming the service and entry", () => {
    expect(refused(json({ web: { ...good, ports: ["80:80:80:80"] } }))).toBe(
      'services.web.ports[0]: "80:80:80:80" is not a port mapping (invalid IP address: 80:80)',
    );
    expect(refused(json({ web: { ...good, ports: [{ published: 80 }] } }))).toBe(
      "services.web.ports[0].target is required",
    );
    expect(refused(json({ web: { ...good, ports: [{ target: 80, host_ip: "example.com" }] } }))).toBe(
      'services.web.ports[0].host_ip: "example.com" is not an IP address',
    );
    expect(refused(json({ web: { ...good, ports: [true] } }))).toBe(
      "services.web.ports[0]: expected a port as a string, a number or a map, got a boolean",
    );
    expect(refused(json({ web: { ...good, ports: "80:80" } }))).toBe(
      "services.web.ports: expected a list, got a string",
    );
  });
});

describe("merge keys, x- fields and tags", () => {
  it("merges a single alias; keys written in the map win wherever they stand", () => {
    const r = report(`
x-defaults: &defaults
  image: nginx:1.27
  restart: "no"
  healthcheck: { test: ["CMD", "true"] }
services:
  before:
    restart: always
    <<: *defaults
  after:
    <<: *defaults
    restart: always
`);
    expect(r.rules.restart).toEqual({ checked: 2, failed: 0 });
  });

  it("merges a list of aliases, an earlier source winning over a later one (compose-go, YAML 1.1)", () => {
    const r = report(`
x-restart-always: &always { restart: always }
x-restart-no: &no { restart: "no" }
x-image: &image { image: "nginx:1.27", healthcheck: { test: ["CMD", "true"] } }
services:
  first-wins:
    <<: [*always, *no, *image]
  other-order:
    <<: [*no, *always, *image]
`);
    expect(r.findings.map((f) => [f.service, f.rule])).toEqual([["other-order", "restart"]]);
  });

  it("merges nested maps, as a shared healthcheck timing under each service's own test", () => {
    const r = report(`
x-timing: &timing { interval: 10s, retries: 3, test: ["NONE"] }
services:
  web:
    image: nginx:1.27
    restart: always
    healthcheck:
      <<: *timing
      test: ["CMD", "curl", "-f", "http://localhost/"]
  disabled:
    image: nginx:1.27
    restart: always
    healthcheck:
      <<: *timing
`);
    expect(r.findings).toEqual([
      { rule: "healthcheck", service: "disabled", message: 'the healthcheck is disabled (test: ["NONE"])' },
    ]);
  });

  it("reads no x- extension, at the top or in a service", () => {
    const r = report(`
x-anything: { ports: ["0.0.0.0:1:1"], network_mode: host }
services:
  web:
    image: nginx:1.27
    restart: always
    healthcheck: { test: ["CMD", "true"] }
    x-ports: ["0.0.0.0:1:1"]
    x-network_mode: host
`);
    expect(r.findings).toEqual([]);
    expect(r.services).toEqual(["web"]);
  });

  it("treats !reset as absent and !override as the plain value", () => {
    const r = report(`
services:
  web:
    image: nginx:1.27
    restart: !override always
    healthcheck: !reset { test: ["CMD", "true"] }
    ports: !reset ["0.0.0.0:80:80"]
    volumes:
      - !override ./data:/data:ro
      - { type: bind, source: ./conf, target: /conf, read_only: !override true }
`);
    expect(r.ports).toEqual([]);
    expect(r.rules.ports.checked).toBe(0);
    // An unresolved tag leaves a scalar as text ("true"), which reads as the boolean it spells.
    expect(r.rules.namedVolumes).toEqual({ checked: 1, failed: 0 });
    expect(r.findings).toEqual([
      {
        rule: "healthcheck",
        service: "web",
        message: "no healthcheck in the compose file (an image HEALTHCHECK cannot be seen here)",
      },
    ]);
  });

  it("refuses any other tag, and merge sources that are not maps", () => {
    expect(refused("services:\n  web: !!python/object:os.system {}\n")).toMatch(
      /^the YAML tag "tag:yaml.org,2002:python\/object:os.system" at line 2, column \d+ is not accepted/,
    );
    expect(refused("services:\n  web: { image: !secret x }\n")).toMatch(/^the YAML tag "!secret" .* is not accepted/);
    expect(refused("x: &x [1]\nservices:\n  web:\n    <<: *x\n")).toMatch(/Merge sources must be maps/);
  });
});

describe("extends within the file", () => {
  const base = {
    image: "nginx:1.27",
    restart: "always",
    healthcheck: { test: ["CMD", "true"], interval: "5s" },
    ports: ["127.0.0.1:80:80"],
  };

  it("merges the base under the service, in string and map form, through a chain", () => {
    const r = report(
      json({
        base,
        short: { extends: "base" },
        long: { extends: { service: "base" }, restart: "no" },
        chained: { extends: "long", ports: ["127.0.0.1:81:81"] },
      }),
    );
    expect(r.rules.healthcheck).toEqual({ checked: 4, failed: 0 });
    expect(r.findings.map((f) => [f.service, f.rule])).toEqual([
      ["long", "restart"],
      ["chained", "restart"],
    ]);
    // Lists append: chained keeps the base's port and adds its own.
    expect(r.ports.filter((p) => p.service === "chained").map((p) => p.target)).toEqual(["80", "81"]);
  });

  it("replaces healthcheck.test instead of appending, and keeps the rest of the base's healthcheck", () => {
    const r = report(json({ base, web: { extends: "base", healthcheck: { test: ["NONE"] } } }));
    expect(messages(r, "healthcheck", "web")).toEqual(['the healthcheck is disabled (test: ["NONE"])']);
  });

  it("does not inherit depends_on, so the base's job stays a job only for the base", () => {
    const r = report(
      json({
        migrate: { image: "app:1", restart: "no" },
        base: { ...good, depends_on: { migrate: { condition: "service_completed_successfully" } } },
        web: { extends: "base" },
      }),
    );
    expect(r.rules.restart.checked).toBe(2);
    expect(r.findings).toEqual([]);
  });

  it("drops what the service marks !reset or !override from the base, as compose-go does", () => {
    const r = report(`
services:
  base:
    image: nginx:1.27
    restart: always
    healthcheck: { test: ["CMD", "true"] }
    ports: ["0.0.0.0:80:80"]
  reset:
    extends: base
    ports: !reset []
  override:
    extends: base
    ports: !override ["127.0.0.1:8080:80"]
  merged:
    extends: base
    ports: ["127.0.0.1:8080:80"]
`);
    expect(r.ports.map((p) => `${p.service} ${p.hostIp ?? "*"}:${p.published}`)).toEqual([
      "base 0.0.0.0:80",
      "override 127.0.0.1:8080",
      "merged 0.0.0.0:80",
      "merged 127.0.0.1:8080",
    ]);
  });

  it("refuses extends from another file, of a missing service, or in a cycle", () => {
    expect(refused(json({ web: { extends: { file: "common.yml", service: "web" } } }))).toBe(
      'services.web.extends.file: the service extends one in another file ("common.yml"), which is not here: only a single compose file is accepted (push the output of `docker compose config`, which resolves it)',
    );
    expect(refused(json({ web: { extends: "base" } }))).toBe(
      'services.web.extends: extends the service "base", which this file does not define',
    );
    expect(refused(json({ a: { extends: "b" }, b: { extends: "a" } }))).toBe(
      "services.a.extends: the services extend each other in a cycle (a → b → a)",
    );
    expect(refused(json({ a: { ...good, extends: "a" } }))).toBe(
      "services.a.extends: the services extend each other in a cycle (a → a)",
    );
    expect(refused(json({ a: { extends: { file: null } } }))).toBe("services.a.extends.service is required");
    // Names are looked up as the file's own keys, never through the object prototype.
    expect(refused(json({ constructor: { extends: "toString" } }))).toBe(
      'services.constructor.extends: extends the service "toString", which this file does not define',
    );
  });
});

describe("variables", () => {
  it.each([
    ["nginx:${TAG:-1.27}", true],
    ["nginx:${TAG-1.27}", true],
    ["nginx:${A:-${B:-1.27}}", true],
    ["nginx:1.27${SUFFIX:+-debug}", true],
    ["nginx:1.27$$", false],
    ["nginx:${TAG:?set TAG}", null],
    ["nginx:$TAG", null],
    ["nginx:${A:-${B}}", null],
  ])("reads %j", (image, pinned) => {
    const r = report(json({ web: { ...good, image } }));
    if (pinned === null) expect(messages(r, "imagePinned")[0]).toMatch(/which has no default in the file/);
    else expect(messages(r, "imagePinned")).toHaveLength(pinned ? 0 : 1);
  });

  it("refuses a $ that starts no variable, and an unclosed ${", () => {
    expect(refused(json({ web: { ...good, image: "nginx:$1" } }))).toBe(
      'services.web.image: "nginx:$1" holds a "$" that starts no variable (a literal "$" is written "$$")',
    );
    expect(refused(json({ web: { ...good, image: "nginx:${TAG" } }))).toBe(
      'services.web.image: "nginx:${TAG" opens "${" and never closes it',
    );
    expect(refused(json({ web: { ...good, image: "nginx:${TAG!x}" } }))).toBe(
      'services.web.image: "nginx:${TAG!x}" holds "${TAG!x}", which is not a variable',
    );
  });
});

describe("hostile and malformed input", () => {
  it("answers 400 for text that is not a compose file", () => {
    expect(malformed("services: [unclosed\n")).toMatch(/^YAML syntax at line/);
    expect(malformed('{"version": 1}')).toBe(
      'not a compose file: no top-level "services" map (top-level keys: "version")',
    );
    expect(malformed("- a\n- b\n")).toBe(
      'not a compose file: expected a map with a top-level "services" key, got an array',
    );
    expect(malformed("services:\n")).toBe(
      'not a compose file: no top-level "services" map (top-level keys: "services")',
    );
    expect(malformed("# only a comment\n")).toBe(
      'not a compose file: expected a map with a top-level "services" key, got undefined',
    );
    expect(malformed("<html></html>")).toBe("expected compose file as YAML, got XML or HTML");
  });

  it("refuses an alias bomb before it expands", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i += 1)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(",")}]`,
      );
    lines.push("services:\n  web: { image: nginx, x-bomb: *j }");
    expect(refused(lines.join("\n"))).toMatch(/aliases expand too far \(an alias bomb\?\)/);
  });

  it("refuses a NUL in a service name", () => {
    expect(refused('services:\n  "web\\0x": { image: nginx }\n')).toMatch(
      /^services\["web\\u0000x"\]: in the key: control character U\+0000 \(NUL\)/,
    );
  });

  it("refuses a service name Compose does not accept, and a service that is not a map", () => {
    expect(refused(json({ "web app": good }))).toBe(
      'services: the service name "web app" is not one Compose accepts (letters, digits, ".", "_" and "-")',
    );
    expect(refused("services:\n  web:\n")).toBe("services.web: expected a map, got null");
    expect(refused(json({ web: "nginx" }))).toBe("services.web: expected a map, got a string");
  });

  it("refuses two documents, services as a list, no service at all, include, and a name that is not text", () => {
    expect(refused(`${json({ web: good })}\n---\n${json({ db: good })}\n`)).toBe(
      "the compose file holds 2 YAML documents: Preflight reads a compose file as one document, and does not merge several (push the output of `docker compose config`, which resolves it into one)",
    );
    // A trailing "---" is an empty document, skipped as Compose skips it.
    expect(report(`${json({ web: good })}\n---\n`).services).toEqual(["web"]);
    expect(refused("services:\n  - web\n  - db\n")).toBe(
      "services: expected a map of service names to their definitions, got an array",
    );
    expect(refused("services: {}\n")).toBe(
      "services: the compose file defines no service, so there is nothing to check",
    );
    expect(refused(json({ web: good }, { include: ["other.yml"] }))).toBe(
      "include: the file includes other compose files, which are not here: only a single compose file is accepted (push the output of `docker compose config`, which resolves it)",
    );
    expect(refused(json({ web: good }, { name: 7 }))).toBe("name: expected a string, got a number");
    expect(refused("a: 1\na: 2\nservices: {}\n")).toMatch(/Map keys must be unique/);
  });

  it("keeps at most 1000 findings, counting every service", () => {
    const services = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`s${i}`, { image: "nginx" }]));
    const r = report(json(services));
    expect(r.findings).toHaveLength(1000);
    expect(r.rules.healthcheck).toEqual({ checked: 600, failed: 600 });
    expect(r.rules.restart.failed).toBe(600);
    expect(r.rules.imagePinned.failed).toBe(600);
    expect(Object.keys(r.rules)).toEqual([...COMPOSE_RULES]);
  });
});
