/**
 * Pipeline: sharding, parallel rendering, resume, manifests and stats, shared by silent and
 * narrated videos.
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
export type { ManifestLine } from "./manifest_line.ts";
export { dropEmptyPromptPart, fillTemplate, type TemplateValues } from "./templates.ts";
export {
  formatStats,
  manifestLine,
  type ManifestLineOptions,
  type PlannedSample,
  renderShard,
  type SampleRenderer,
  type ShardOptions,
  type ShardStats,
} from "./shard.ts";
export { renderSilentVideo, type SilentOptions, silentRenderer } from "./silent.ts";
export {
  type NarratedOptions,
  narratedRenderer,
  type NarrationOptions,
  renderNarratedVideo,
} from "./narrated.ts";
export type {
  NarratedState,
  NarratedVideoOptions,
  RenderJob,
  SilentVideoOptions,
} from "./job_types.ts";
export { runRenderJob } from "./render_jobs.ts";
export { defaultRenderThreads, RenderPool } from "./render_pool.ts";
export {
  type RenderRunOptions,
  type ResolvedSource,
  resolveSource,
  runRender,
  type SourceOptions,
} from "./run.ts";
