import { basename, dirname, join, resolve } from "node:path";

/** Which manifest a line goes to. */
export type ManifestMode = "inference" | "rendering";

/** Silent (`video`) or narrated (`audio_video`) output. */
export type VideoKind = "silent" | "narrated";

/** Options shared by the output path helpers. */
export interface OutputPathOptions {
  /** Narrated videos live in `BASE/DATASET_audio`. Default silent. */
  kind?: VideoKind;
}

const MODES: readonly ManifestMode[] = ["inference", "rendering"];
const AUDIO_SUFFIX = "_audio";
/** Dataset keys are lower-case words joined by `_` (`gsm8k`, `tinystories_chinese`). */
const KEY = "[a-z0-9_]+";
/** Split names: lower-case words joined by `.` or `_` (`test`, `train_sft`, `v1.dev`). */
const SPLIT = "[a-z0-9]+(?:[._][a-z0-9]+)*";
/**
 * An output name: a dataset key, then `-SPLIT` for a split other than train. Keys hold no `-`,
 * so the first `-` always separates the two.
 */
const DATASET = `${KEY}(?:-${SPLIT})?`;

/** The split read when none is asked for; its output keeps the plain dataset names. */
export const DEFAULT_SPLIT = "train";

/**
 * Why `split` cannot name a split's folders and files, or `undefined` if it can: lower-case
 * letters and digits, words joined by `.` or `_`, not ending in `_audio` (the narrated folders'
 * suffix).
 */
export function splitNameProblem(split: string): string | undefined {
  if (!new RegExp(`^${SPLIT}$`).test(split)) {
    return `split name '${split}' must be lower-case letters and digits, words joined by '.' ` +
      `or '_' (e.g. test, validation, train_sft)`;
  }
  if (split.endsWith(AUDIO_SUFFIX)) {
    return `split name '${split}' must not end in '${AUDIO_SUFFIX}' (the narrated folders' suffix)`;
  }
  return undefined;
}

/**
 * The output name of a dataset's split: the key itself for `train` (the seed's names), else
 * `KEY-SPLIT` (`gsm8k-test`). It names the split's download folder (`DATA_DIR/gsm8k-test`) and
 * is the `dataset` every other builder here takes, so a split's videos, manifests and stats
 * never share a folder or a name with another split's. A bad split name is an Error.
 */
export function splitOutputName(dataset: string, split: string = DEFAULT_SPLIT): string {
  if (split === DEFAULT_SPLIT) return dataset;
  const problem = splitNameProblem(split);
  if (problem) throw new Error(problem);
  return `${dataset}-${split}`;
}

/** The dataset key and split an output name encodes (inverse of `splitOutputName`), or null. */
export function parseSplitOutputName(name: string): { dataset: string; split: string } | null {
  const match = new RegExp(`^(${KEY})(?:-(${SPLIT}))?$`).exec(name);
  if (!match) return null;
  const split = match[2] ?? DEFAULT_SPLIT;
  if (match[2] === DEFAULT_SPLIT || splitNameProblem(split)) return null;
  return { dataset: match[1], split };
}

/** `DATASET` or `DATASET_audio`: the name of one dataset's output folder. */
export function datasetFolderName(dataset: string, options: OutputPathOptions = {}): string {
  return options.kind === "narrated" ? `${dataset}${AUDIO_SUFFIX}` : dataset;
}

/** The dataset and kind an output folder's name encodes (inverse of `datasetFolderName`). */
export function parseDatasetFolderName(folder: string): { dataset: string; kind: VideoKind } {
  return folder.endsWith(AUDIO_SUFFIX)
    ? { dataset: folder.slice(0, -AUDIO_SUFFIX.length), kind: "narrated" }
    : { dataset: folder, kind: "silent" };
}

/** `BASE/DATASET` or `BASE/DATASET_audio`: the folder holding one dataset's output. */
export function datasetOutputDir(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions = {},
): string {
  return resolve(baseDir, datasetFolderName(dataset, options));
}

/** `DATASET_NNNNNN`: a row's sample key, its video's name without `.mp4` (index padded to six). */
export function videoKey(dataset: string, index: number): string {
  return `${dataset}_${String(index).padStart(6, "0")}`;
}

/** `DATASET_NNNNNN.mp4`: a row's video file name (row index zero-padded to six digits). */
export function videoFileName(dataset: string, index: number): string {
  return `${videoKey(dataset, index)}.mp4`;
}

/**
 * The dataset and row index a video file name encodes, or null if `name` is not one of this
 * tool's video names ({@linkcode videoFileName} is its inverse).
 */
export function parseVideoFileName(name: string): { dataset: string; index: number } | null {
  const match = new RegExp(`^(${DATASET})_(\\d{6,})\\.mp4$`).exec(name);
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

/** What a manifest's file name says about it. */
export interface ManifestName {
  dataset: string;
  kind: VideoKind;
  mode: ManifestMode;
  /** First row of the shard; null for a merged manifest (`verify --merge`). */
  start: number | null;
}

/**
 * `DATASET_{mode}_video_data_START.jsonl` (`_audio_video_` when narrated); without `start`, the
 * merged manifest `DATASET_{mode}_video_data.jsonl` that `verify --merge` writes.
 */
export function manifestFileName(
  dataset: string,
  options: OutputPathOptions & { mode: ManifestMode; start?: number | null },
): string {
  const infix = options.kind === "narrated" ? "audio_video_data" : "video_data";
  const start = options.start === undefined || options.start === null ? "" : `_${options.start}`;
  return `${dataset}_${options.mode}_${infix}${start}.jsonl`;
}

/** What a manifest file name encodes, or null if `name` is none of this tool's manifests. */
export function parseManifestFileName(name: string): ManifestName | null {
  const match = new RegExp(
    `^(${DATASET})_(${MODES.join("|")})_(audio_)?video_data(?:_(\\d+))?\\.jsonl$`,
  ).exec(name);
  if (!match) return null;
  const parsed: ManifestName = {
    dataset: match[1],
    kind: match[3] ? "narrated" : "silent",
    mode: match[2] as ManifestMode,
    start: match[4] === undefined ? null : Number(match[4]),
  };
  // Only names this module would build: no `007` for 7, no unsafe integers.
  return manifestFileName(parsed.dataset, parsed) === name &&
      (parsed.start === null || Number.isSafeInteger(parsed.start))
    ? parsed
    : null;
}

/**
 * The record an export keeps in its folder of the files it wrote there: a later export removes
 * only those (never a user's own files in the same folder).
 */
export const EXPORT_RECORD_FILE = ".videoword_export.json";

/**
 * `NAME.removed.jsonl` beside manifest `NAME.jsonl`: where `verify --fix` keeps the lines it
 * takes out (never a manifest itself: the name has no `_START.jsonl` ending).
 */
export function removedLinesFileName(manifestName: string): string {
  return `${manifestName.replace(/\.jsonl$/, "")}.removed.jsonl`;
}

/** Manifest of one shard: `BASE/DATASET[_audio]/DATASET_{mode}_[audio_]video_data_START.jsonl`. */
export function manifestPath(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions & { mode: ManifestMode; start: number },
): string {
  return join(datasetOutputDir(baseDir, dataset, options), manifestFileName(dataset, options));
}

/** `DATASET_stats_START.json`: run summary of one shard. */
export function statsFileName(dataset: string, start: number): string {
  return `${dataset}_stats_${start}.json`;
}

/** The dataset and first row a stats file name encodes, or null. */
export function parseStatsFileName(name: string): { dataset: string; start: number } | null {
  const match = new RegExp(`^(${DATASET})_stats_(\\d+)\\.json$`).exec(name);
  if (!match) return null;
  const start = Number(match[2]);
  return statsFileName(match[1], start) === name ? { dataset: match[1], start } : null;
}

/** Run summary of one shard: `BASE/DATASET[_audio]/DATASET_stats_START.json`. */
export function statsPath(
  baseDir: string,
  dataset: string,
  options: OutputPathOptions & { start: number },
): string {
  return join(datasetOutputDir(baseDir, dataset, options), statsFileName(dataset, options.start));
}

let tempCounter = 0;

/**
 * This machine's name as temp and lock files carry it: PIDs repeat across the nodes that share
 * one folder, so a file is only ever judged by the host that wrote it. Characters a host name
 * does not use become `_`.
 */
export function hostTag(): string {
  return Deno.hostname().replace(/[^A-Za-z0-9.-]/g, "_") || "unknown";
}

/**
 * `DIR/.NAME@HOST.PID.N.tmp`: where a file is written before it is renamed to `path`. Hidden, in
 * the same folder (so the rename is atomic), unique per host, process and call.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}@${hostTag()}.${Deno.pid}.${tempCounter++}.tmp`);
}

/** What a temp file name says: the final file name, and the host and pid that write it. */
export interface TempFileName {
  target: string;
  pid: number;
  /** The writer's host; null for the host-less names of older versions (`.NAME.PID.N.tmp`). */
  host: string | null;
}

/** Parse a temp file name (`.NAME@HOST.PID.N.tmp`, or an older `.NAME.PID.N.tmp`), or null. */
export function parseTempFileName(name: string): TempFileName | null {
  const match = /^\.(.+)@([A-Za-z0-9._-]+)\.(\d+)\.(\d+)\.tmp$/.exec(name);
  if (match) return { target: match[1], pid: Number(match[3]), host: match[2] };
  const old = /^\.([^@]+)\.(\d+)\.(\d+)\.tmp$/.exec(name);
  return old ? { target: old[1], pid: Number(old[2]), host: null } : null;
}

/** Which videos `videoword score` read: the dataset's own, or generated ones (`--videos`). */
export type ScoreSource = "own" | "generated";

/** The folder `videoword score` writes its per-video lines to: `DATASET_DIR/score`. */
export const SCORE_DIR = "score";

/**
 * `score/MANIFEST_score.jsonl` (`_generated_score` for `--videos`): the per-video score lines of
 * one manifest, in that manifest's dataset folder.
 */
export function scorePath(datasetDir: string, manifestName: string, source: ScoreSource): string {
  const stem = manifestName.replace(/\.jsonl$/, "");
  return join(datasetDir, SCORE_DIR, `${stem}_${source === "own" ? "" : "generated_"}score.jsonl`);
}
