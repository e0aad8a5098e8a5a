import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { measureRecovery, parseChaosExperiment, parseLitmusChaosResult, type TLitmusOptions } from "./chaos";

const litmus = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("./fixtures/litmus-chaosresult-pod-delete.json", import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

type TLitmusFixture = {
  metadata: Record<string, unknown>;
  status: { experimentStatus: Record<string, unknown> };
};

function edited(edit: (result: TLitmusFixture) => void): Record<string, unknown> {
  const result = litmus();
  edit(result as unknown as TLitmusFixture);
  return result;
}

function errorOf(input: unknown, options: TLitmusOptions = { target: "api" }): string {
  const result = parseLitmusChaosResult(input, options);
  if (result.ok) throw new Error("expected the ChaosResult to be refused");
  return result.error;
}

const experiment = {
  name: "api-pod-delete",
  fault: "pod-delete",
  target: "api",
  startedAt: "2026-11-26T13:58:04Z",
  endedAt: "2026-11-26T13:59:41Z",
};

describe("parseChaosExperiment", () => {
  it("accepts an experiment, with or without the expected recovery", () => {
    expect(parseChaosExperiment(experiment)).toEqual({ ok: true, experiment });
    expect(
      parseChaosExperiment({ ...experiment, expectedRecoveryS: 30, startedAt: "2026-11-26T14:58:04+01:00" }),
    ).toMatchObject({ ok: true });
  });

  it.each([
    [{ ...experiment, name: "  " }, "invalid chaos experiment: name: expected a name"],
    [{ ...experiment, fault: "" }, "invalid chaos experiment: fault: expected the fault injected"],
    [
      { ...experiment, target: "API Server" },
      "invalid chaos experiment: target: expected an id of lowercase letters, digits and dashes, starting with a letter",
    ],
    [
      { ...experiment, startedAt: "2026-11-26 13:58" },
      "invalid chaos experiment: startedAt: expected an ISO 8601 time with a zone, such as 2026-05-03T10:14:02Z",
    ],
    [
      { ...experiment, endedAt: "2026-11-26T13:59:41" },
      "invalid chaos experiment: endedAt: expected an ISO 8601 time with a zone, such as 2026-05-03T10:14:02Z",
    ],
    [
      { ...experiment, endedAt: "2026-11-26T13:00:00Z" },
      "invalid chaos experiment: endedAt: endedAt is before startedAt",
    ],
    [
      { ...experiment, expectedRecoveryS: -1 },
      "invalid chaos experiment: expectedRecoveryS: Too small: expected number to be >=0",
    ],
    [
      { ...experiment, expectedRecoveryS: "30s" },
      "invalid chaos experiment: expectedRecoveryS: expected number, received string",
    ],
    [{ ...experiment, name: "", fault: "" }, "invalid chaos experiment: name: expected a name (and 1 more)"],
    [null, "invalid chaos experiment: (top level): expected object, received null"],
    [
      { ...experiment, expectedRecovery: 30 },
      "invalid chaos experiment: expectedRecovery: unknown key, refused rather than dropped",
    ],
  ])("refuses %j", (input, error) => {
    expect(parseChaosExperiment(input)).toMatchObject({ ok: false, error });
  });

  it("files each problem under its field, an unknown key under its own name", () => {
    expect(parseChaosExperiment({ ...experiment, name: "", expectedRecovery: 30 })).toMatchObject({
      ok: false,
      fieldErrors: {
        name: ["expected a name"],
        expectedRecovery: ["unknown key: not a field Preflight reads, refused rather than dropped"],
      },
    });
  });
});

describe("parseLitmusChaosResult", () => {
  it("maps a completed ChaosResult: start from creationTimestamp, end from the last managed-fields write", () => {
    expect(parseLitmusChaosResult(litmus(), { target: "api", expectedRecoveryS: 30 })).toEqual({
      ok: true,
      experiment: {
        name: "api-pod-delete-pod-delete",
        fault: "pod-delete",
        target: "api",
        startedAt: "2026-11-26T13:58:04Z",
        endedAt: "2026-11-26T13:59:41Z",
        expectedRecoveryS: 30,
        verdict: "Pass",
        phase: "Completed",
        engine: "api-pod-delete",
      },
    });
  });

  it("prefers the times CI gives, and needs no managed fields then", () => {
    const input = edited((r) => {
      delete r.metadata.managedFields;
      delete r.metadata.creationTimestamp;
    });
    const result = parseLitmusChaosResult(input, {
      target: "api",
      startedAt: "2026-11-26T13:58:10Z",
      endedAt: "2026-11-26T13:59:00Z",
    });
    expect(result.ok && [result.experiment.startedAt, result.experiment.endedAt]).toEqual([
      "2026-11-26T13:58:10Z",
      "2026-11-26T13:59:00Z",
    ]);
  });

  it("keeps a failed verdict: the experiment ran, and the recovery is still measured", () => {
    const input = edited((r) => {
      r.status.experimentStatus = { phase: "Completed", verdict: "Fail", probeSuccessPercentage: "50" };
    });
    expect(parseLitmusChaosResult(input, { target: "api" })).toMatchObject({
      ok: true,
      experiment: { verdict: "Fail" },
    });
  });

  it.each([
    [
      "another kind",
      (r: TLitmusFixture) => Object.assign(r, { kind: "ChaosEngine" }),
      "invalid Litmus ChaosResult: kind: expected kind ChaosResult",
    ],
    [
      "another API group",
      (r: TLitmusFixture) => Object.assign(r, { apiVersion: "chaos-mesh.org/v1alpha1" }),
      "invalid Litmus ChaosResult: apiVersion: expected apiVersion litmuschaos.io/v1alpha1",
    ],
    [
      "an unknown verdict",
      (r: TLitmusFixture) => Object.assign(r.status.experimentStatus, { verdict: "Maybe" }),
      "invalid Litmus ChaosResult: status.experimentStatus.verdict: expected verdict Pass, Fail, Stopped, Awaited or Error",
    ],
    [
      "a creation time that is not ISO 8601",
      (r: TLitmusFixture) => Object.assign(r.metadata, { creationTimestamp: "yesterday" }),
      "invalid Litmus ChaosResult: metadata.creationTimestamp: expected an ISO 8601 time with a zone, such as 2026-05-03T10:14:02Z",
    ],
    [
      "an experiment still running",
      (r: TLitmusFixture) => Object.assign(r.status, { experimentStatus: { phase: "Running", verdict: "Awaited" } }),
      "the experiment api-pod-delete-pod-delete has not finished (phase Running, verdict Awaited): send the ChaosResult once it completes",
    ],
    [
      "no end time",
      (r: TLitmusFixture) => delete r.metadata.managedFields,
      "the ChaosResult api-pod-delete-pod-delete has no end time: Litmus records none in its status, so send it with metadata.managedFields (kubectl get -o json --show-managed-fields) or give endedAt",
    ],
    [
      "no start time",
      (r: TLitmusFixture) => delete r.metadata.creationTimestamp,
      "the ChaosResult api-pod-delete-pod-delete has no start time: metadata.creationTimestamp is missing and no startedAt was given",
    ],
  ])("refuses %s", (_name, edit, error) => {
    expect(errorOf(edited(edit))).toBe(error);
  });

  it("refuses a target that is no component id, and input that is no object", () => {
    expect(errorOf(litmus(), { target: "x0tta6bl4-api.deployment" })).toBe(
      "invalid chaos experiment: target: expected an id of lowercase letters, digits and dashes, starting with a letter",
    );
    expect(errorOf("kind: ChaosResult")).toBe("expected a Litmus ChaosResult object, got a string");
    expect(errorOf([])).toBe("expected a Litmus ChaosResult object, got an array");
  });

  it("refuses an end given before the start", () => {
    expect(errorOf(litmus(), { target: "api", endedAt: "2026-11-26T13:00:00Z" })).toBe(
      "invalid chaos experiment: endedAt: endedAt is before startedAt",
    );
  });
});

describe("measureRecovery", () => {
  const end = new Date("2026-11-26T13:59:41Z");

  it("is the first confirmed-up time at or after the fault's end, whatever the order", () => {
    const ups = [
      new Date("2026-11-26T14:05:00Z"),
      new Date("2026-11-26T13:59:53.500Z"),
      new Date("2026-11-26T14:00:10Z"),
    ];
    expect(measureRecovery(end, ups)).toEqual({
      recoveredAt: new Date("2026-11-26T13:59:53.500Z"),
      recoverySeconds: 12.5,
    });
  });

  it("ignores up transitions before the fault ended", () => {
    expect(measureRecovery(end, [new Date("2026-11-26T13:59:00Z"), new Date("2026-11-26T14:01:41Z")])).toEqual({
      recoveredAt: new Date("2026-11-26T14:01:41Z"),
      recoverySeconds: 120,
    });
  });

  it("counts an up confirmed at the very end as an immediate recovery", () => {
    expect(measureRecovery(end, [new Date(end)])).toEqual({ recoveredAt: new Date(end), recoverySeconds: 0 });
  });

  it("is null while the component has not come back", () => {
    expect(measureRecovery(end, [])).toEqual({ recoveredAt: null, recoverySeconds: null });
    expect(measureRecovery(end, [new Date("2026-11-26T13:00:00Z")])).toEqual({
      recoveredAt: null,
      recoverySeconds: null,
    });
  });

  it("ignores invalid dates, and an invalid end measures nothing", () => {
    expect(measureRecovery(end, [new Date("nope"), new Date("2026-11-26T14:00:01Z")])).toEqual({
      recoveredAt: new Date("2026-11-26T14:00:01Z"),
      recoverySeconds: 20,
    });
    expect(measureRecovery(new Date("nope"), [new Date("2026-11-26T14:00:01Z")])).toEqual({
      recoveredAt: null,
      recoverySeconds: null,
    });
  });
});
