export type GateBody = {
  overallPct?: unknown;
  gate?: { minScorePct?: number };
  blockers?: { name: string; verdict: string; reason: string | null; category: string | null }[];
  goLive?: { approved: boolean; missing: string[] };
};
export function judge(body: GateBody, min: number | undefined, scoreOnly?: boolean): { passed: boolean; minimum: number; reasons: string[] };
export function gate(argv: string[], env?: Record<string, string | undefined>, out?: Pick<Console, "log" | "error">): Promise<number>;
export function main(argv: string[]): Promise<number>;
