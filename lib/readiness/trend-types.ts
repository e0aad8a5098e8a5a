export type ReadinessTrendPointLike = { takenAt: string; overallPct: number | null };
