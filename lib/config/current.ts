import { getEnv } from "../env";
import { loadConfigFile, type LoadedConfig } from "./load";

const globalForConfig = globalThis as unknown as { preflightConfig?: LoadedConfig };

/** The configuration of this process, loaded and validated once (the launcher validated it before start). */
export function getConfig(): LoadedConfig {
  globalForConfig.preflightConfig ??= loadConfigFile(getEnv().PREFLIGHT_CONFIG);
  return globalForConfig.preflightConfig;
}
