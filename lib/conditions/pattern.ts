// The `matches` operator's regular expressions run on text that probed services send, so they run on RE2 (re2js):
// linear in the input whatever the pattern, where JavaScript's backtracking RegExp lets a body such as "aaaa…!"
// hold the main thread for seconds against "^(a+)+$". RE2 refuses what it cannot match in linear time
// (backreferences, lookaround); that is reported at configuration load like any other invalid pattern.
import { RE2JS, RE2JSException, RE2JSSyntaxException } from "re2js";

export type TPatternResult = { ok: true; pattern: RE2JS } | { ok: false; error: string };

const BACKREFERENCE = /^\\(?:[1-9]|k)/;
const LOOKAROUND = /^\(\?<?[=!]/;

/** Compiles a `matches` pattern with RE2 semantics: a search (unanchored unless the pattern says ^ or $), no flags. */
export function compilePattern(source: string): TPatternResult {
  try {
    return { ok: true, pattern: RE2JS.compile(source) };
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    return { ok: false, error: `invalid regular expression (RE2 syntax): ${describe(error)}` };
  }
}

function describe(error: RE2JSException): string {
  if (!(error instanceof RE2JSSyntaxException)) return error.message.replace(/^error parsing regexp: /, "");
  const fragment = error.input ?? "";
  const what = fragment === "" ? error.error : `${error.error}: \`${fragment}\``;
  if (BACKREFERENCE.test(fragment)) return `${what}; RE2 has no backreferences`;
  if (LOOKAROUND.test(fragment)) return `${what}; RE2 has no lookahead or lookbehind`;
  return what;
}
