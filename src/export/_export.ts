/**
 * `videoword export FORMAT BASE/DATASET`: the files each trainer reads, in a self-contained folder.
 *
 * Path-list formats get `OUT/video/KEY.mp4` (hard links to the rendered videos, copies across file
 * systems) and metadata naming those files relative to OUT, so OUT is the folder the trainer is
 * pointed at and can be moved as one. Trainers that resolve paths against their working directory
 * (musubi-tuner, Open-Sora) get absolute paths instead.
 */
import { dirname, join, relative, resolve } from "node:path";
import { UsageError } from "../errors/mod.ts";
import { stringify as csvStringify } from "csv-stringify/sync";
import { stringify as tomlStringify } from "smol-toml";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { EXPORT_RECORD_FILE, tempPathFor } from "../paths/mod.ts";
import { mapLimit } from "../concurrency/mod.ts";
import { shellQuote } from "../slurm/mod.ts";
import {
  type ExportMode,
  type ExportRow,
  isRefusal,
  type LeftOut,
  readExportRows,
  REFUSALS,
} from "./_rows.ts";
import { writeWebDataset } from "./_webdataset.ts";
import {
  frameRuleFloor,
  MODEL_FAMILIES,
  sideFloor,
  TRAINER_FORMAT_NAMES,
  TRAINER_FORMATS,
  type TrainerFormatName,
} from "../models/mod.ts";

/** Formats `videoword export` writes: the trainers' (src/models) and WebDataset. */
export const EXPORT_FORMATS = [...TRAINER_FORMAT_NAMES, "webdataset"] as const;

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = typeof EXPORT_FORMATS[number];

/** Options of {@link exportDataset}; every field has its default filled in by the CLI. */
export interface ExportOptions {
  format: ExportFormat;
  /** Manifest to read. @default "inference" */
  mode: ExportMode;
  /** Output folder. @default "BASE/DATASET/export/FORMAT_MODE" */
  out?: string;
  /** WebDataset shard size in bytes. @default 1_000_000_000 */
  shardSize: number;
  /** WebDataset samples per shard (no limit when unset). */
  shardSamples?: number;
}

/** What an export wrote. */
export interface ExportReport {
  format: ExportFormat;
  mode: ExportMode;
  /** Dataset folder read. */
  dir: string;
  out: string;
  narrated: boolean;
  /** Rows exported. */
  rows: number;
  /** Lines not exported: gaps (a missing video) and refusals (see `isRefusal`). */
  leftOut: LeftOut[];
  /**
   * Lines refused because their video is not provably what they say (fingerprint mismatch,
   * incomplete MP4, another row's file, a link leaving the dataset folder): the command exits 1.
   */
  refused: number;
  badLines: number;
  duplicates: number;
  /** Files written, relative to `out` (the video links not listed). */
  files: string[];
  /** Videos copied because a hard link was not possible. */
  copied: number;
  /** Flags to give the trainer, one argument per element. */
  trainerArgs: string[];
  /** What the trainer command is, for the printed hint. */
  trainer: string;
  /** Warnings about frame counts or sizes the model will cut. */
  notes: string[];
}

/** Prompts on one line, for line-aligned text files. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
}

const VIDEO_DIR = "video";

function relVideo(row: ExportRow): string {
  return `${VIDEO_DIR}/${row.key}.mp4`;
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino !== null && a.ino === b.ino;
}

/** Hard-link (or copy) every row's video to `out/video/KEY.mp4`. */
async function linkVideos(out: string, rows: ExportRow[]): Promise<number> {
  const dir = join(out, VIDEO_DIR);
  await Deno.mkdir(dir, { recursive: true });
  let copied = 0;
  await mapLimit(rows, 16, async (row) => {
    const target = join(dir, `${row.key}.mp4`);
    const [have, source] = await Promise.all([
      Deno.stat(target).catch(() => null),
      Deno.stat(row.video),
    ]);
    if (have && sameFile(have, source)) return;
    const tmp = tempPathFor(target);
    await Deno.remove(tmp).catch(() => {});
    try {
      await Deno.link(row.video, tmp);
    } catch {
      await Deno.copyFile(row.video, tmp);
      copied++;
    }
    await Deno.rename(tmp, target);
  });
  return copied;
}

/** Whether `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}

/** The real path of `path`, resolving the part that exists (the rest need not yet). */
async function realPathOf(path: string): Promise<string> {
  const real = await Deno.realPath(path).catch(() => null);
  if (real) return real;
  const parent = dirname(path);
  return parent === path ? path : join(await realPathOf(parent), relative(parent, path));
}

/**
 * Refuse an `--out` that is the dataset folder, or is, holds or lies in its `video/` folder:
 * export writes and prunes its own `video/` there, and the rendered videos must never be in
 * reach of that.
 */
async function checkOut(out: string, datasetDir: string): Promise<void> {
  const [realOut, realDataset] = await Promise.all([realPathOf(out), realPathOf(datasetDir)]);
  const videoDir = join(realDataset, "video");
  if (realOut === realDataset || within(videoDir, realOut) || within(realOut, videoDir)) {
    throw new UsageError(
      `--out ${out} is or holds the dataset folder ${datasetDir} or its video/ folder, where ` +
        `export would overwrite rendered videos: pass a folder outside them ` +
        `(the default is DIR/export/FORMAT_MODE)`,
    );
  }
}

/** Files (relative to `out`) an earlier export wrote there, from its record. */
async function readExportRecord(out: string): Promise<Set<string>> {
  try {
    const record = JSON.parse(await Deno.readTextFile(join(out, EXPORT_RECORD_FILE)));
    const files: unknown = record?.files;
    return new Set(Array.isArray(files) ? files.filter((f) => typeof f === "string") : []);
  } catch {
    return new Set();
  }
}

/**
 * Refuse to overwrite a file in `out` that no earlier export wrote (a user's own folder), unless
 * it already is the very file (a hard link from an earlier export without a record).
 */
async function checkNotTheirs(
  out: string,
  planned: { name: string; source?: string }[],
  previous: Set<string>,
): Promise<void> {
  for (const { name, source } of planned) {
    if (previous.has(name)) continue;
    const have = await Deno.lstat(join(out, name)).catch(() => null);
    if (!have) continue;
    if (source && have.isFile && sameFile(have, await Deno.stat(source))) continue;
    throw new UsageError(
      `--out ${out} already holds ${name}, which no earlier export wrote: export never ` +
        `overwrites files it did not make; pass an empty or new --out folder`,
    );
  }
}

/**
 * Remove what the earlier export in `out` wrote and this one did not (and nothing else), then
 * record this export's files.
 */
async function pruneAndRecord(out: string, previous: Set<string>, files: string[]) {
  const now = new Set(files);
  for (const name of previous) {
    // Only plain relative names an export writes: a tampered record reaches nothing else.
    if (now.has(name) || name.includes("..") || name.startsWith("/")) continue;
    await Deno.remove(join(out, name)).catch(() => {});
  }
  await writeFileAtomic(
    join(out, EXPORT_RECORD_FILE),
    JSON.stringify({ files: [...now].sort() }, null, 1) + "\n",
  );
}

function csv(columns: string[], records: unknown[][]): string {
  return csvStringify(records, { header: true, columns, record_delimiter: "unix" });
}

function jsonl(records: unknown[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/** The clip shape the trainer flags name: the shortest clip, the first row's size. */
function clipShape(
  rows: ExportRow[],
): { frames: number; width: number; height: number; fps: number } {
  return {
    frames: Math.min(...rows.map((r) => r.frames)),
    width: rows[0].width,
    height: rows[0].height,
    fps: rows[0].fps,
  };
}

/** What `format`'s trainer keeps of clips of `shape`: frames and sides after its rules. */
function keptShape(
  format: TrainerFormatName,
  shape: { frames: number; width: number; height: number },
): { frames: number; width: number; height: number } {
  const rules = TRAINER_FORMATS[format].rules;
  if (!rules) return shape;
  const family = MODEL_FAMILIES[rules.family];
  return {
    frames: frameRuleFloor(shape.frames, family.frameStep),
    width: sideFloor(shape.width, family.sideStep),
    height: sideFloor(shape.height, family.sideStep),
  };
}

/** Notes on frames or sides `format`'s trainer cuts, naming the preset that keeps them. */
function shapeNotes(
  format: TrainerFormatName,
  shape: { frames: number; width: number; height: number },
): string[] {
  const rules = TRAINER_FORMATS[format].rules;
  if (!rules) return [];
  const { frameStep, sideStep } = MODEL_FAMILIES[rules.family];
  const kept = keptShape(format, shape);
  const notes: string[] = [];
  if (kept.frames !== shape.frames) {
    notes.push(
      `${rules.model} takes ${frameStep}n+1 frames: it keeps ${kept.frames} of ${shape.frames} ` +
        `(render with --preset ${rules.family} to keep every frame)`,
    );
  }
  if (kept.width !== shape.width || kept.height !== shape.height) {
    notes.push(
      `${rules.model} needs sides in multiples of ${sideStep}: ${shape.width}x${shape.height} ` +
        `is cropped to ${kept.width}x${kept.height} (render with --preset ${rules.family})`,
    );
  }
  return notes;
}

interface Written {
  files: Record<string, string>;
  trainerArgs: string[];
  trainer: string;
  notes: string[];
}

function writeFormat(
  format: TrainerFormatName,
  out: string,
  rows: ExportRow[],
  narrated: boolean,
): Written {
  const shape = clipShape(rows);
  const kept = keptShape(format, shape);
  const { trainer } = TRAINER_FORMATS[format];
  const notes = shapeNotes(format, shape);
  switch (format) {
    case "diffsynth": {
      // DiffSynth-Studio diffsynth/core/data/unified_dataset.py joins each file column to
      // --dataset_base_path; audio-video models read `input_audio` (the MP4's own audio track).
      const columns = narrated ? ["video", "prompt", "input_audio"] : ["video", "prompt"];
      const records = rows.map((r) =>
        narrated ? [relVideo(r), r.prompt, relVideo(r)] : [relVideo(r), r.prompt]
      );
      return {
        files: { "metadata.csv": csv(columns, records) },
        trainer,
        trainerArgs: [
          "--dataset_base_path",
          out,
          "--dataset_metadata_path",
          join(out, "metadata.csv"),
          ...(narrated ? ["--data_file_keys", "video,input_audio"] : []),
          "--num_frames",
          String(kept.frames),
          "--height",
          String(kept.height),
          "--width",
          String(kept.width),
        ],
        notes,
      };
    }
    case "musubi": {
      // musubi-tuner src/musubi_tuner/dataset/datasources.py (VideoJsonlDatasource) opens
      // `video_path` as given, so paths are absolute; caches are named by basename.
      const toml = tomlStringify({
        general: { resolution: [shape.width, shape.height], batch_size: 1, enable_bucket: false },
        datasets: [{
          video_jsonl_file: join(out, "videos.jsonl"),
          cache_directory: join(out, "cache"),
          target_frames: [kept.frames],
          frame_extraction: "head",
        }],
      });
      return {
        files: {
          "videos.jsonl": jsonl(
            rows.map((r) => ({ video_path: join(out, relVideo(r)), caption: r.prompt })),
          ),
          "dataset.toml": `${toml}\n`,
        },
        trainer,
        trainerArgs: ["--dataset_config", join(out, "dataset.toml")],
        notes,
      };
    }
    case "finetrainers": {
      // finetrainers finetrainers/data/dataset.py loads OUT as a `videofolder` (metadata.jsonl,
      // `file_name` relative to it); finetrainers/args.py documents the dataset config keys.
      const config = {
        datasets: [{
          data_root: out,
          dataset_type: "video",
          video_resolution_buckets: [[shape.frames, shape.height, shape.width]],
          reshape_mode: "bicubic",
          remove_common_llm_caption_prefixes: false,
        }],
      };
      return {
        files: {
          "metadata.jsonl": jsonl(rows.map((r) => ({ file_name: relVideo(r), caption: r.prompt }))),
          "dataset_config.json": `${JSON.stringify(config, null, 2)}\n`,
        },
        trainer,
        trainerArgs: ["--dataset_config", join(out, "dataset_config.json")],
        notes,
      };
    }
    case "ltx": {
      // LTX-Video-Trainer scripts/process_videos.py resolves `media_path` against the dataset
      // file's folder; src/ltxv_trainer/datasets.py wants frames % 8 == 1 and sides % 32 == 0.
      // LTX-2's trainer also reads `video`, and `audio` for audio-video training.
      const columns = ["caption", "media_path", "video", ...(narrated ? ["audio"] : [])];
      const records = rows.map((r) => [
        r.prompt,
        relVideo(r),
        relVideo(r),
        ...(narrated ? [relVideo(r)] : []),
      ]);
      const bucket = `${kept.width}x${kept.height}x${kept.frames}`;
      return {
        files: { "dataset.csv": csv(columns, records) },
        trainer,
        trainerArgs: [
          join(out, "dataset.csv"),
          "--resolution-buckets",
          bucket,
          "--caption-column",
          "caption",
          "--video-column",
          "media_path",
        ],
        notes,
      };
    }
    case "opensora": {
      // Open-Sora opensora/datasets/datasets.py opens `path` as given (absolute here);
      // scripts/cnv/meta.py defines aspect_ratio = height / width and resolution = height * width.
      const columns = [
        "path",
        "text",
        "num_frames",
        "height",
        "width",
        "aspect_ratio",
        "resolution",
        "fps",
      ];
      const records = rows.map((r) => [
        join(out, relVideo(r)),
        r.prompt,
        r.frames,
        r.height,
        r.width,
        r.height / r.width,
        r.height * r.width,
        r.fps,
      ]);
      return {
        files: { "opensora.csv": csv(columns, records) },
        trainer,
        trainerArgs: ["--dataset.data-path", join(out, "opensora.csv")],
        notes,
      };
    }
    case "cogvideox": {
      // CogVideo finetune/datasets/utils.py reads line-aligned files and resolves each video
      // against the list's folder; finetune/schemas/args.py wants (frames - 1) % 8 == 0.
      return {
        files: {
          "prompts.txt": rows.map((r) => `${oneLine(r.prompt)}\n`).join(""),
          "videos.txt": rows.map((r) => `${relVideo(r)}\n`).join(""),
        },
        trainer,
        trainerArgs: [
          "--data_root",
          out,
          "--caption_column",
          "prompts.txt",
          "--video_column",
          "videos.txt",
          "--train_resolution",
          `${kept.frames}x${shape.height}x${shape.width}`,
        ],
        notes,
      };
    }
  }
}

/** `trainer_args.sh`: a bash array of the flags, every value quoted. */
function argsScript(args: string[]): string {
  for (const arg of args) {
    if ([...arg].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
      throw new Error(`a trainer flag holds a control character: ${JSON.stringify(arg)}`);
    }
  }
  return `# source this file, then pass "\${TRAINER_ARGS[@]}" to the trainer\nTRAINER_ARGS=(\n${
    args.map((a) => `  ${shellQuote(a)}\n`).join("")
  })\n`;
}

/** Export the dataset folder `dir` (`BASE/DATASET` or `BASE/DATASET_audio`) for a trainer. */
export async function exportDataset(dir: string, options: ExportOptions): Promise<ExportReport> {
  const read = await readExportRows(dir, options.mode);
  const out = resolve(options.out ?? join(read.dir, "export", `${options.format}_${options.mode}`));
  if (read.rows.length === 0) {
    throw new Error(
      `${read.dir}: no ${options.mode} row has a video on disk ` +
        `(${read.leftOut.length} left out${
          read.leftOut.filter((l) => isRefusal(l.reason)).map((l) =>
            `; refused row ${l.index}: ${l.reason}: ${l.detail}`
          ).slice(0, 3).join("")
        }); render or verify --fix first`,
    );
  }
  await checkOut(out, read.dir);
  const previous = await readExportRecord(out);
  await Deno.mkdir(out, { recursive: true });
  const report: ExportReport = {
    format: options.format,
    mode: options.mode,
    dir: read.dir,
    out,
    narrated: read.narrated,
    rows: read.rows.length,
    leftOut: read.leftOut,
    refused: read.leftOut.filter((left) => isRefusal(left.reason)).length,
    badLines: read.badLines,
    duplicates: read.duplicates,
    files: [],
    copied: 0,
    trainerArgs: [],
    trainer: "",
    notes: [],
  };
  if (options.format === "webdataset") {
    await checkNotTheirs(out, [{ name: "trainer_args.sh" }], previous);
    const result = await writeWebDataset(out, read.rows, { ...options, previous });
    report.files = result.shards.flatMap((s) => [s, `${s}.idx`]);
    report.trainer = "webdataset / finetrainers (data_root = the shard folder)";
    const last = String(result.shards.length - 1).padStart(5, "0");
    report.trainerArgs = [join(out, `{00000..${last}}.tar`)];
    report.notes.push(`${result.shards.length} shards, ${result.bytes} bytes`);
    await writeFileAtomic(join(out, "trainer_args.sh"), argsScript(report.trainerArgs));
    report.files.push("trainer_args.sh");
    await pruneAndRecord(out, previous, report.files);
    return report;
  }
  const written = writeFormat(options.format, out, read.rows, read.narrated);
  const videos = read.rows.map((row) => ({ name: relVideo(row), source: row.video }));
  await checkNotTheirs(out, [
    ...videos,
    ...[...Object.keys(written.files), "trainer_args.sh"].map((name) => ({ name })),
  ], previous);
  report.copied = await linkVideos(out, read.rows);
  for (const [name, text] of Object.entries(written.files)) {
    await writeFileAtomic(join(out, name), text);
    report.files.push(name);
  }
  await writeFileAtomic(join(out, "trainer_args.sh"), argsScript(written.trainerArgs));
  report.files.push("trainer_args.sh");
  report.trainerArgs = written.trainerArgs;
  report.trainer = written.trainer;
  report.notes = written.notes;
  await pruneAndRecord(out, previous, [...report.files, ...videos.map((v) => v.name)]);
  return report;
}

/** Human summary: counts, what was left out, the trainer flags. */
export function formatExportReport(report: ExportReport): string {
  const out: string[] = [];
  for (const left of report.leftOut) {
    const what = isRefusal(left.reason) ? "refused" : "left out";
    const detail = left.detail ? `: ${left.detail}` : "";
    out.push(
      `${what}: row ${left.index}: ${left.reason}${detail}${left.video ? ` (${left.video})` : ""}`,
    );
  }
  const count = (reason: LeftOut["reason"]) =>
    report.leftOut.filter((l) => l.reason === reason).length;
  out.push(
    `${report.format}: exported ${report.rows} ${report.mode} rows of ${report.dir} to ` +
      `${report.out}; left out ${report.leftOut.length} (missing video ${
        count("missing video")
      }, ` +
      `empty video ${count("empty video")}, incomplete line ${count("incomplete line")}), ` +
      `bad lines ${report.badLines}, duplicates ${report.duplicates}; refused ${report.refused}` +
      (report.refused
        ? ` (${
          REFUSALS.map((reason) => `${reason} ${count(reason)}`).join(", ")
        }: run videoword verify on it)`
        : "") +
      (report.copied ? `, ${report.copied} videos copied (not hard-linked)` : ""),
  );
  for (const note of report.notes) out.push(`note: ${note}`);
  out.push(`files: ${report.files.join(", ")}`);
  out.push(`trainer: ${report.trainer}`);
  out.push(`flags: ${report.trainerArgs.map(shellQuote).join(" ")}`);
  return out.join("\n");
}
