/**
 * `videoword verify`: check manifests against the MP4s, fix, and merge shard manifests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset } from "../datasets/mod.ts";
 * import { runRender, silentRenderer, videoPath } from "../pipeline/mod.ts";
 * import { formatReport, verifyDataset } from "./mod.ts";
 *
 * const baseDir = await Deno.makeTempDir();
 * const spec = getDataset("gsm8k");
 * await runRender(spec, silentRenderer(spec), {
 *   source: "samples", // the rows embedded in the program
 *   dataDir: baseDir,
 *   baseDir,
 *   start: 0,
 *   count: 2,
 *   modes: ["rendering"],
 *   workers: 1,
 *   templates: spec.templates,
 *   progress: false,
 *   maxTextChars: 20_000,
 * });
 * await Deno.remove(videoPath(baseDir, "gsm8k", 1));
 * const report = await verifyDataset(`${baseDir}/gsm8k`, { fix: false, merge: false });
 * assert.deepEqual(report.findings.map((f) => [f.kind, f.index]), [["missing", 1]]);
 * console.log(formatReport(report)); // missing, corrupt and orphaned videos, by manifest line
 * await Deno.remove(baseDir, { recursive: true });
 * ```
 *
 * @module
 */
export { type ProbeResult, probeVideo } from "./_probe.ts";
export {
  type Finding,
  type FindingKind,
  formatReport,
  VERIFY_DEFAULTS,
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
