/**
 * Pipeline: sharding, parallel rendering, resume, manifests and stats, shared by silent and
 * narrated videos.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDataset, readSamples, sampleFiles } from "../datasets/mod.ts";
 * import { renderSettings, resolveOptions } from "../options/mod.ts";
 * import { manifestPath, renderShard, silentRenderer } from "./mod.ts";
 *
 * const spec = getDataset("gsm8k");
 * const { silent } = renderSettings(spec.key, resolveOptions("render").values);
 * const baseDir = await Deno.makeTempDir();
 * const render = () =>
 *   renderShard(spec, readSamples(spec, sampleFiles(spec), { start: 0, count: 2 }), {
 *     baseDir,
 *     start: 0,
 *     count: 2,
 *     modes: ["inference", "rendering"],
 *     workers: 2,
 *     templates: spec.templates,
 *     progress: false,
 *     maxTextChars: 20_000,
 *     renderer: silentRenderer(spec, silent),
 *   });
 * assert.equal((await render()).rendered, 2);
 * const manifest = manifestPath(baseDir, "gsm8k", { mode: "rendering", start: 0 });
 * assert.equal((await Deno.readTextFile(manifest)).trim().split("\n").length, 2); // one per video
 * assert.equal((await render()).reused, 2); // a second run keeps the finished videos
 * await Deno.remove(baseDir, { recursive: true });
 * ```
 *
 * @module
 */
export {
  datasetOutputDir,
  type ManifestMode,
  manifestPath,
  type OutputPathOptions,
  parseVideoFileName,
  statsPath,
  videoFileName,
  type VideoKind,
  videoPath,
} from "../paths/mod.ts";
export type { ManifestLine } from "./_manifest_line.ts";
export { dropEmptyPromptPart, fillTemplate, type TemplateValues } from "./_templates.ts";
export { formatStats, type ShardStats } from "./_shard_stats.ts";
export {
  LOCK_HEARTBEAT_MS,
  LOCK_STALE_MS,
  lockShard,
  releaseHeldLocksSync,
  type ShardLock,
} from "./_shard_lock.ts";
export {
  InterruptedError,
  manifestLine,
  type ManifestLineOptions,
  type PlannedSample,
  renderShard,
  type SampleRenderer,
  type ShardOptions,
} from "./_shard.ts";
export {
  renderSilentVideo,
  SILENT_DEFAULTS,
  type SilentOptions,
  silentRenderer,
  type SilentSettings,
  type SilentState,
  type SilentStyleSettings,
} from "./_silent.ts";
export { narratedRenderer } from "./_narrated.ts";
export {
  type FingerprintEncoder,
  fingerprintEncoder,
  type FingerprintInput,
  type FingerprintLayout,
  fingerprintMismatch,
  type FingerprintNarration,
  RENDERER_VERSION,
  VARIED_LOOK_VERSION,
  videoFingerprint,
} from "./_fingerprint.ts";
export { renderNarratedVideo } from "./_narrated_video.ts";
export {
  NARRATED_DEFAULTS,
  type NarratedOptions,
  type NarratedSettings,
  type NarrationOptions,
  type NarrationSettings,
} from "./_narrated_settings.ts";
export type {
  NarratedState,
  NarratedVideoOptions,
  RenderJob,
  SilentVideoOptions,
} from "./_job_types.ts";
export { runRenderJob } from "./_render_jobs.ts";
export { defaultRenderThreads, RenderPool } from "./_render_pool.ts";
export {
  type RenderRunOptions,
  type ResolvedSource,
  resolveSource,
  runRender,
  type SourceOptions,
} from "./_run.ts";
