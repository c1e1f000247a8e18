/**
 * `videoword export`: turn a rendered dataset folder into the files a trainer reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset } from "../datasets/mod.ts";
 * import { runRender, silentRenderer } from "../pipeline/mod.ts";
 * import { exportDataset, formatExportReport } from "./mod.ts";
 *
 * const baseDir = await Deno.makeTempDir();
 * const spec = getDataset("gsm8k");
 * await runRender(spec, silentRenderer(spec), {
 *   source: "samples", // the rows embedded in the program
 *   dataDir: baseDir,
 *   baseDir,
 *   start: 0,
 *   count: 2,
 *   modes: ["inference"],
 *   workers: 1,
 *   templates: spec.templates,
 *   progress: false,
 *   maxTextChars: 20_000,
 * });
 * const report = await exportDataset(`${baseDir}/gsm8k`, {
 *   format: "diffsynth",
 *   mode: "inference",
 *   shardSize: 1e9,
 * });
 * assert.equal(report.rows, 2);
 * console.log(formatExportReport(report)); // files written, and the trainer's flags to use them
 * await Deno.remove(baseDir, { recursive: true });
 * ```
 *
 * @module
 */
export {
  EXPORT_FORMATS,
  exportDataset,
  type ExportFormat,
  type ExportOptions,
  type ExportReport,
  formatExportReport,
  oneLine,
} from "./_export.ts";
export {
  type ExportMode,
  type ExportRow,
  type ExportRows,
  isRefusal,
  type LeftOut,
  readExportRows,
  type Refusal,
  REFUSALS,
} from "./_rows.ts";
export {
  planShards,
  type ShardLimits,
  shardName,
  type WebDatasetResult,
  writeWebDataset,
} from "./_webdataset.ts";
