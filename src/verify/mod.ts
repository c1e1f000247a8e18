/**
 * `videoword verify`: check manifests against the MP4s, fix, and merge shard manifests.
 *
 * @example
 * ```ts
 * import { formatReport, verifyDataset } from "./mod.ts";
 *
 * const report = await verifyDataset("output/gsm8k", { fix: false, merge: false });
 * console.log(formatReport(report)); // missing, corrupt and orphaned videos, by manifest line
 * ```
 *
 * @module
 */
export { type ProbeResult, probeVideo } from "./_probe.ts";
export {
  type Finding,
  type FindingKind,
  formatReport,
  verifyDataset,
  type VerifyOptions,
  type VerifyReport,
} from "./_verify.ts";
export {
  type DatasetFolder,
  datasetFolder,
  type MergedLine,
  type MergedManifest,
  mergeShardLines,
  readShardManifests,
  type ShardManifest,
} from "./_shards.ts";
