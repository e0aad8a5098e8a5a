#!/usr/bin/env node
// `npx preflight gate --url URL --token TOKEN --min 90`: see commands.mjs.
import { main } from "./commands.mjs";

process.exitCode = await main(process.argv.slice(2));
