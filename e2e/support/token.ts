// The API token both e2e servers know: the demo installs it as its demo token (PREFLIGHT_DEMO_TOKEN), and
// start-on-postgres.ts installs it before `npm start`. Test data only; no real server ever has it.
export const E2E_TOKEN = "pf_e2eTestTokenOnlyKnownToTheEndToEndSuite0000";

export const AUTH = { authorization: `Bearer ${E2E_TOKEN}` };

/** The password of the demo users on both e2e servers (PREFLIGHT_DEMO_PASSWORD for the demo). */
export const E2E_PASSWORD = "e2e-only-password-0000";

export const userEmail = (who: "admin" | "editor" | "viewer" | "tech-lead" | "security" | "ops" | "product" | "exec") =>
  `${who}@x0tta6bl4.demo`;
