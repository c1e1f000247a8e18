/**
 * Output names, built and parsed in one place: dataset folders (`DATASET`, `DATASET_audio`),
 * videos (`DATASET_NNNNNN.mp4`), shard and merged manifests, stats files, and the hidden temp
 * names files are written under before their atomic rename. Every reader of output folders
 * (verify, export, `submit --status`, resume) parses names with these functions, so a name
 * format can only change here.
 *
 * @example
 * ```ts
 * import { parseManifestFileName, videoPath } from "./mod.ts";
 *
 * videoPath("/out", "gsm8k", 12); // "/out/gsm8k/video/gsm8k_000012.mp4"
 * parseManifestFileName("gsm8k_inference_audio_video_data_1000.jsonl");
 * // { dataset: "gsm8k", kind: "narrated", mode: "inference", start: 1000 }
 * ```
 *
 * @module
 */
export {
  datasetFolderName,
  datasetOutputDir,
  manifestFileName,
  type ManifestMode,
  type ManifestName,
  manifestPath,
  type OutputPathOptions,
  parseDatasetFolderName,
  parseManifestFileName,
  parseStatsFileName,
  parseTempFileName,
  parseVideoFileName,
  statsFileName,
  statsPath,
  tempPathFor,
  videoFileName,
  videoKey,
  type VideoKind,
  videoPath,
} from "./_names.ts";
