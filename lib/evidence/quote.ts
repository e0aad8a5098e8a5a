/**
 * Text a sender gave, quoted for a message: JSON's escapes, plus DEL and the C1 controls, which JSON.stringify
 * leaves as they are. A quoted value never carries a control character into a log line or a page.
 */
export function quoteText(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
