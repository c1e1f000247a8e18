/**
 * `videoword.jsonc`: cluster, render and template settings shared by `submit` and `render`.
 *
 * @example
 * ```ts
 * import { loadConfig, parseConfig } from "./mod.ts";
 *
 * const config = parseConfig(`{ "slurm": { "nodes": 4 } }`, "videoword.jsonc");
 * config.slurm.nodes; // 4; everything else keeps its default
 * const local = await loadConfig(); // ./videoword.jsonc when present, else the defaults
 * ```
 *
 * @module
 */
export {
  ConfigError,
  loadConfig,
  loadConfigFile,
  type LoadConfigOptions,
  type LoadedConfig,
  parseConfig,
  parseConfigFile,
} from "./_load.ts";
export {
  defaultConfig,
  type RenderConfig,
  type SlurmConfig,
  type TemplateOverrides,
  type VideowordConfig,
} from "./_schema.ts";
