/**
 * Options resolved once: one table of every command's options
 * (flag, help, default, commands, `videoword.jsonc` key, environment variable) feeds commander's
 * `--help`, the README option tables, `videoword.jsonc`'s defaults and `--print-config`. A
 * command resolves the user's options through the layers defaults < preset < `videoword.jsonc` <
 * environment < flags into one fully-defaulted, typed settings object; the layers below take
 * those types and never apply a default again.
 *
 * Presets: pass a preset's values as `layers.preset` (a `Partial<OptionValues>`); the user's own
 * file, environment and flags still override them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSettings, resolveOptions } from "./mod.ts";
 *
 * const { values, origins } = resolveOptions("render", {
 *   preset: { width: 832, height: 480 },
 *   file: { render: { font_size: 24 } },
 *   flags: { height: 464 },
 * });
 * assert.deepEqual([origins.width, origins.height, origins.fontSize], [
 *   "preset",
 *   "flag",
 *   "config",
 * ]);
 * const { layout } = renderSettings("gsm8k", values).silent;
 * assert.deepEqual([layout.width, layout.height, layout.fontSize], [832, 464, 24]);
 * ```
 *
 * @module
 */
export {
  type CommandName,
  type DefaultContext,
  DOWNLOAD_OPTIONS,
  type DownloadOptionValues,
  EXPORT_OPTIONS,
  type ExportOptionValues,
  type OptionRow,
  OPTIONS,
  type OptionTable,
  type OptionValues,
  parseBytes,
  positiveNumber,
  ratePercent,
  SCORE_OPTIONS,
  type ScoreOptionValues,
  slurmTime,
  SUBMIT_OPTIONS,
  TABLE_COMMANDS,
  type TableCommand,
  type TableValues,
  VERIFY_OPTIONS,
  type VerifyOptionValues,
} from "./_table.ts";
export {
  type AnyRow,
  nonNegativeInt,
  optionValueProblem,
  parseOptionValue,
  positiveInt,
} from "./_value.ts";
export {
  builtInDefault,
  type OptionLayers,
  type OptionOrigin,
  type ResolvedOptions,
  resolveOptions,
  tableOf,
} from "./_resolve.ts";
export {
  type ModelPreset,
  parsePreset,
  PRESET_NAMES,
  presetHelp,
  type PresetName,
  PRESETS,
  presetValues,
} from "./_presets.ts";
export {
  type AddTableOptions,
  addTableOptions,
  commandRows,
  defaultText,
  givenFlags,
} from "./_commander.ts";
export { optionsMarkdown, readmeMarkers, updateReadme } from "./_markdown.ts";
export {
  type AudioRenderSettings,
  audioRenderSettings,
  encoderSettings,
  type RenderSettings,
  renderSettings,
  scoreSettings,
  type ShardSettings,
  shardSettings,
  submitSettings,
  verifySettings,
} from "./_settings.ts";
