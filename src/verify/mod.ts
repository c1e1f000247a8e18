/**
 * `videoword verify`: check manifests against the MP4s, fix, and merge shard manifests.
 *
 * @module
 */
export { type ProbeResult, probeVideo } from "./probe.ts";
export {
  type Finding,
  type FindingKind,
  formatReport,
  verifyDataset,
  type VerifyOptions,
  type VerifyReport,
} from "./verify.ts";
export {
  type DatasetFolder,
  datasetFolder,
  type MergedLine,
  type MergedManifest,
  mergeShardLines,
  readShardManifests,
  type ShardManifest,
} from "./shards.ts";
