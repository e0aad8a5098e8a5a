import { describe, expect, it } from "vitest";
import { expandPreset, joinUrl } from "./presets";
import { parseInfo } from "./redis";

describe("joinUrl", () => {
  it("appends a path, keeping a prefix the service is mounted under", () => {
    expect(joinUrl("http://g:3000", "api/health")).toBe("http://g:3000/api/health");
    expect(joinUrl("http://g:3000/", "api/health")).toBe("http://g:3000/api/health");
    expect(joinUrl("https://ops.example.com/grafana/", "api/health")).toBe(
      "https://ops.example.com/grafana/api/health",
    );
    expect(joinUrl("http://j:14269", "")).toBe("http://j:14269/");
  });
});

describe("expandPreset", () => {
  it("puts the preset's conditions before the configured ones", () => {
    expect(
      expandPreset({
        type: "grafana",
        url: "http://g:3000",
        headers: { authorization: "Bearer x" },
        conditions: ["[RESPONSE_TIME] < 500"],
      }),
    ).toEqual({
      type: "http",
      url: "http://g:3000/api/health",
      method: "GET",
      headers: { authorization: "Bearer x" },
      followRedirects: false,
      conditions: ["[STATUS] == 200", "[BODY].database == ok", "[RESPONSE_TIME] < 500"],
    });
  });

  it("checks Jaeger on its admin URL when given", () => {
    expect(expandPreset({ type: "jaeger", url: "http://j:16686", adminUrl: "http://j:14269", headers: {} }).url).toBe(
      "http://j:14269/",
    );
    expect(expandPreset({ type: "jaeger", url: "http://j:14269", headers: {} }).url).toBe("http://j:14269/");
  });

  it("keeps TLS settings", () => {
    const tls = { ca: "/ca.pem", rejectUnauthorized: true };
    expect(expandPreset({ type: "alertmanager", url: "https://am:9093", headers: {}, tls })).toMatchObject({
      url: "https://am:9093/-/healthy",
      tls,
    });
  });
});

describe("parseInfo", () => {
  it("reads field:value lines across sections", () => {
    expect(
      parseInfo("# Server\r\nredis_version:7.2.4\r\n\r\n# Replication\r\nrole:master\r\nmaster_replid:abc:def\r\n"),
    ).toEqual({
      redis_version: "7.2.4",
      role: "master",
      master_replid: "abc:def",
    });
  });
});
