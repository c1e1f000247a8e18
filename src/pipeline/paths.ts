import { join, resolve } from "node:path";

/** Which manifest a line goes to. */
export type ManifestMode = "inference" | "rendering";

/** Silent (`video`) or narrated (`audio_video`) output. */
export type VideoKind = "silent" | "narrated";

/** Options shared by the output path helpers. */
export interface OutputPathOptions {
  /** Narrated videos live in `BASE/DATASET_audio`. Default silent. */
  kind?: VideoKind;
}

/** `BASE/DATASET` or `BASE/DATASET_audio`: the folder holding one dataset's output. */
export function datasetOutputDir(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions = {},
): string {
  const folder = options.kind === "narrated" ? `${dataset}_audio` : dataset;
  return resolve(baseDir, folder);
}

/** `DATASET_NNNNNN.mp4`: a row's video file name (row index zero-padded to six digits). */
export function videoFileName(dataset: string, index: number): string {
  return `${dataset}_${String(index).padStart(6, "0")}.mp4`;
}

/**
 * The dataset and row index a video file name encodes, or null if `name` is not one of this
 * tool's video names ({@linkcode videoFileName} is its inverse).
 */
export function parseVideoFileName(name: string): { dataset: string; index: number } | null {
  const match = /^([a-z0-9_]+)_(\d{6,})\.mp4$/.exec(name);
  if (!match) return null;
  const index = Number(match[2]);
  if (!Number.isSafeInteger(index) || videoFileName(match[1], index) !== name) return null;
  return { dataset: match[1], index };
}

/** `BASE/DATASET[_audio]/video/DATASET_NNNNNN.mp4` (six-digit row index), absolute. */
export function videoPath(
  baseDir: string,
  dataset: string,
  index: number,
  options: OutputPathOptions = {},
): string {
  return join(datasetOutputDir(baseDir, dataset, options), "video", videoFileName(dataset, index));
}

/** Manifest of one shard: `DATASET_{mode}_video_data_START.jsonl` (`_audio_video_` when narrated). */
export function manifestPath(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions & { mode: ManifestMode; start: number },
): string {
  const infix = options.kind === "narrated" ? "audio_video_data" : "video_data";
  return join(
    datasetOutputDir(baseDir, dataset, options),
    `${dataset}_${options.mode}_${infix}_${options.start}.jsonl`,
  );
}

/** Run summary of one shard: `DATASET_stats_START.json`. */
export function statsPath(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions & { start: number },
): string {
  return join(
    datasetOutputDir(baseDir, dataset, options),
    `${dataset}_stats_${options.start}.json`,
  );
}

/** One manifest line as written (JSON Lines). Extra fields may follow for narrated videos. */
export interface ManifestLine {
  /** Absolute path of the MP4. */
  video_path: string;
  /** The training prompt made from the dataset's template. */
  prompt: string;
  dataset: string;
  /** Row index in the train split. */
  index: number;
  /** Prompt text as displayed. */
  prompt_text: string;
  /** Answer / continuation as displayed (rendering manifests and inference alike, for audits). */
  response_text: string;
  frames: number;
  fps: number;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
  [extra: string]: unknown;
}
