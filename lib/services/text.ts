import type { z } from "zod";
import { checkText } from "../evidence/screen";

/**
 * A form's text as Preflight keeps it: the input policy of the evidence endpoints (README, "What Preflight
 * accepts") for every text field of every form. Tab, line feed and carriage return pass; any other control
 * character, or an unpaired surrogate, is a field error naming it, where PostgreSQL would otherwise refuse the
 * row (NUL) or a page would show a terminal command (ESC).
 */
export function keptText<T extends z.ZodString>(schema: T): T {
  return schema.check((ctx) => {
    const problem = checkText(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
  }) as T;
}
