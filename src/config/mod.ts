/**
 * `videoword.jsonc`: cluster, render and template settings shared by `submit` and `render`.
 *
 * @module
 */
export { ConfigError, loadConfig, type LoadConfigOptions, parseConfig } from "./load.ts";
export {
  defaultConfig,
  type RenderConfig,
  type SlurmConfig,
  type TemplateOverrides,
  TIME_PATTERN,
  type VideowordConfig,
} from "./schema.ts";
