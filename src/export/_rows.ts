/** The rows an export writes: merged manifest lines whose video exists and is not empty. */
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { mapLimit } from "../concurrency/mod.ts";
import { parseVideoFileName, videoFileName, videoKey } from "../paths/mod.ts";
import { datasetFolder, mergeShardLines, readShardManifests } from "../verify/mod.ts";
import { mp4Fingerprint, mp4Problem } from "../encode/mod.ts";
import { fingerprintMismatch } from "../pipeline/mod.ts";

/** Which manifest an export reads. */
export type ExportMode = "inference" | "rendering";

/** One video to export, with what its manifest line says about it. */
export interface ExportRow {
  /** Globally unique sample key: the video's file name without `.mp4` (`gsm8k_000012`). */
  key: string;
  index: number;
  /** Absolute path of the rendered MP4. */
  video: string;
  /** Bytes of the MP4. */
  size: number;
  prompt: string;
  frames: number;
  width: number;
  height: number;
  fps: number;
  /** The manifest line as parsed. */
  fields: Record<string, unknown>;
}

/**
 * Why a line is refused: its video is not provably what the line says (see
 * {@link REFUSALS}); such a line is never exported, and the export command exits 1.
 */
export type Refusal =
  | "fingerprint mismatch"
  | "incomplete MP4"
  | "not the row's own video"
  | "outside the dataset folder";

/** Every {@link Refusal}, in the order the summary counts them. */
export const REFUSALS: readonly Refusal[] = [
  "fingerprint mismatch",
  "incomplete MP4",
  "not the row's own video",
  "outside the dataset folder",
];

/** A manifest line left out of the export, and why. */
export interface LeftOut {
  index: number;
  reason:
    | "missing video"
    | "empty video"
    | "incomplete line"
    | "not a videoword video name"
    | Refusal;
  video?: string;
  /** What exactly is wrong (refusals). */
  detail?: string;
}

/** True when `reason` is a refusal (the line's video is not what it says), not a gap. */
export function isRefusal(reason: LeftOut["reason"]): reason is Refusal {
  return (REFUSALS as readonly string[]).includes(reason);
}

/** True when `path` is `folder` or lies inside it (both real paths). */
function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** Rows of one dataset folder and mode, and what was left out. */
export interface ExportRows {
  dir: string;
  dataset: string;
  narrated: boolean;
  rows: ExportRow[];
  leftOut: LeftOut[];
  /** Manifest lines that are not JSON objects with `index` and `video_path`. */
  badLines: number;
  /** Lines listing a row again (the first listing is kept). */
  duplicates: number;
}

function positive(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * Read every shard manifest of `mode` in `dir` (`BASE/DATASET` or `BASE/DATASET_audio`), merged
 * in row order without duplicates, and keep the lines whose video is on disk and not empty.
 */
export async function readExportRows(dir: string, mode: ExportMode): Promise<ExportRows> {
  const folder = datasetFolder(dir);
  const stat = await Deno.stat(folder.dir).catch(() => null);
  if (!stat?.isDirectory) throw new Error(`${folder.dir} is not a directory`);
  const shards = await readShardManifests(folder.dir, folder.dataset);
  if (!shards.some((s) => s.mode === mode)) {
    const other = shards.find((s) => s.mode !== mode)?.mode;
    throw new Error(
      `${folder.dir} has no ${mode} manifests` +
        (other ? ` (it has ${other} ones: pass --mode ${other})` : " (render it first)"),
    );
  }
  const merged = mergeShardLines(shards, mode);
  const leftOut: LeftOut[] = [];
  // Videos are judged by real path: a link leaving the dataset folder is never followed out.
  const realDir = await Deno.realPath(folder.dir);
  const checked = await mapLimit(merged.lines, 16, async (line) => {
    const f = line.fields;
    const videoPath = String(f.video_path);
    const video = isAbsolute(videoPath) ? videoPath : resolve(folder.dir, videoPath);
    const frames = positive(f.frames);
    const width = positive(f.width);
    const height = positive(f.height);
    const fps = positive(f.fps);
    if (typeof f.prompt !== "string" || !frames || !width || !height || !fps) {
      return { index: line.index, reason: "incomplete line", video } as LeftOut;
    }
    const name = parseVideoFileName(basename(video));
    if (!name) {
      return { index: line.index, reason: "not a videoword video name", video } as LeftOut;
    }
    const refuse = (reason: Refusal, detail: string): LeftOut => ({
      index: line.index,
      reason,
      video,
      detail,
    });
    const own = videoFileName(folder.dataset, line.index);
    if (basename(video) !== own) {
      return refuse("not the row's own video", `row ${line.index}'s video is ${own}`);
    }
    const info = await Deno.stat(video).catch(() => null);
    if (!info?.isFile) return { index: line.index, reason: "missing video", video } as LeftOut;
    if (info.size === 0) return { index: line.index, reason: "empty video", video } as LeftOut;
    const real = await Deno.realPath(video);
    if (!inside(real, realDir)) {
      return refuse(
        "outside the dataset folder",
        `it is ${real}, not in ${join(realDir, "video")}/ (a moved dataset: verify --fix)`,
      );
    }
    const problem = await mp4Problem(real, { frames }).catch((e: Error) => e.message);
    if (problem) return refuse("incomplete MP4", problem);
    const other = fingerprintMismatch(f, await mp4Fingerprint(real));
    if (other) return refuse("fingerprint mismatch", other);
    const row: ExportRow = {
      key: videoKey(name.dataset, name.index),
      index: line.index,
      // The real file: what is linked, copied or put in a tar is what was checked.
      video: real,
      size: info.size,
      prompt: f.prompt,
      frames,
      width,
      height,
      fps,
      fields: f,
    };
    return row;
  });
  const rows: ExportRow[] = [];
  const keys = new Set<string>();
  for (const item of checked) {
    if ("reason" in item) leftOut.push(item);
    else if (keys.has(item.key)) merged.duplicates++;
    else {
      keys.add(item.key);
      rows.push(item);
    }
  }
  return {
    dir: folder.dir,
    dataset: folder.dataset,
    narrated: folder.narrated,
    rows,
    leftOut,
    badLines: merged.badLines,
    duplicates: merged.duplicates,
  };
}
