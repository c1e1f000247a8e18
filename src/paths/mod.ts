/**
 * Output names, built and parsed in one place: split output names (`gsm8k` for the train split,
 * `gsm8k-test` for another: the `DATASET` every other builder takes), dataset folders
 * (`DATASET`, `DATASET_audio`),
 * videos (`DATASET_NNNNNN.mp4`), shard and merged manifests, stats files, and the hidden temp
 * names files are written under before their atomic rename. Every reader of output folders
 * (verify, export, `submit --status`, resume) parses names with these functions, so a name
 * format can only change here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseManifestFileName, splitOutputName, videoPath } from "./mod.ts";
 *
 * assert.equal(videoPath("/out", "gsm8k", 12), "/out/gsm8k/video/gsm8k_000012.mp4");
 * assert.equal(
 *   videoPath("/out", splitOutputName("gsm8k", "test"), 12),
 *   "/out/gsm8k-test/video/gsm8k-test_000012.mp4",
 * );
 * assert.deepEqual(parseManifestFileName("gsm8k_inference_audio_video_data_1000.jsonl"), {
 *   dataset: "gsm8k",
 *   kind: "narrated",
 *   mode: "inference",
 *   start: 1000,
 * });
 * ```
 *
 * @module
 */
export {
  datasetFolderName,
  datasetOutputDir,
  DEFAULT_SPLIT,
  EXPORT_RECORD_FILE,
  hostTag,
  manifestFileName,
  type ManifestMode,
  type ManifestName,
  manifestPath,
  type OutputPathOptions,
  parseDatasetFolderName,
  parseManifestFileName,
  parseSplitOutputName,
  parseStatsFileName,
  parseTempFileName,
  parseVideoFileName,
  removedLinesFileName,
  splitNameProblem,
  splitOutputName,
  statsFileName,
  statsPath,
  type TempFileName,
  tempPathFor,
  videoFileName,
  videoKey,
  type VideoKind,
  videoPath,
} from "./_names.ts";
export { SCORE_DIR, scorePath, type ScoreSource } from "./_names.ts";
