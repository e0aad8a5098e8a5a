// The stretch of time a deployment is judged on, shared by the read (which rows) and the judge (how much of the
// window has passed), so the two can never disagree about it.
//
// The window starts at the first whole minute at or after the deployment. Rollups are per minute, so that is the
// finest a window can start; and the minute the deployment happened in holds probes of the build being replaced,
// which must not count for (or against) the new one. It ends one window later; the measured part runs up to now.

export const MINUTE_MS = 60_000;

export type TWatchSpan = {
  deployedAt: Date;
  /** First whole minute at or after deployedAt. */
  start: Date;
  /** start + window. */
  end: Date;
  /** End of what is measured so far: min(now, end), never before start. */
  to: Date;
  windowMs: number;
  /** to - start. */
  elapsedMs: number;
  /** The window is over: the verdict is final. */
  over: boolean;
};

export function watchSpan(deployedAt: Date, now: Date, windowMs: number): TWatchSpan {
  const start = Math.ceil(deployedAt.getTime() / MINUTE_MS) * MINUTE_MS;
  const end = start + windowMs;
  // A deployment stamped a little in the future (a CI clock ahead of ours) has simply not started yet.
  const to = Math.max(start, Math.min(now.getTime(), end));
  return {
    deployedAt,
    start: new Date(start),
    end: new Date(end),
    to: new Date(to),
    windowMs,
    elapsedMs: to - start,
    over: now.getTime() >= end,
  };
}
