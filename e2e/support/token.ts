// The API token both e2e servers know: the demo installs it as its demo token (PREFLIGHT_DEMO_TOKEN), and
// start-on-postgres.ts installs it before `npm start`. Test data only; no real server ever has it.
export const E2E_TOKEN = "pf_e2eTestTokenOnlyKnownToTheEndToEndSuite0000";

export const AUTH = { authorization: `Bearer ${E2E_TOKEN}` };
