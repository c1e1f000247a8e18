/**
 * `videoword export`: turn a rendered dataset folder into the files a trainer reads.
 *
 * @example
 * ```ts
 * import { exportDataset, formatExportReport } from "./mod.ts";
 * const report = await exportDataset("output/gsm8k", {
 *   format: "diffsynth",
 *   mode: "inference",
 *   shardSize: 1e9,
 * });
 * console.log(formatExportReport(report));
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
