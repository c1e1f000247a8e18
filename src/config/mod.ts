/**
 * `videoword.jsonc`: JSONC parsing with file:line:col errors, checked against the option table
 * (each config key obeys its row's rule, as its flag does), templates and declared datasets.
 * Option values are resolved by `src/options` from `values`; `videoword.example.jsonc` is
 * generated from the table ({@linkcode exampleConfig}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfigFile } from "./mod.ts";
 *
 * const { config, values } = parseConfigFile(`{ "slurm": { "nodes": 4 } }`, "videoword.jsonc");
 * assert.deepEqual(values, { slurm: { nodes: 4 } }); // what resolveOptions lays over the defaults
 * assert.deepEqual(config.templates, {});
 * // A syntax error names file:line:col.
 * assert.throws(() => parseConfigFile(`{ "slurm": { "nodes": 4 }`, "a.jsonc"), /a\.jsonc:1:/);
 * ```
 *
 * @module
 */
export { exampleConfig } from "./_example.ts";
export {
  ConfigError,
  loadConfig,
  loadConfigFile,
  type LoadConfigOptions,
  type LoadedConfig,
  parseConfig,
  parseConfigFile,
} from "./_load.ts";
export { defaultConfig, type TemplateOverrides, type VideowordConfig } from "./_schema.ts";
