/** Shard manifests of one dataset output folder: found by name, read, merged in row order. */
import { basename, join, resolve } from "node:path";
import { parseDatasetFolderName, parseManifestFileName } from "../paths/mod.ts";

/** One shard manifest as read from disk. */
export interface ShardManifest {
  /** File name inside the dataset folder. */
  name: string;
  mode: "inference" | "rendering";
  /** First row of the shard (from the file name). */
  start: number;
  /** Lines without the trailing empty one. */
  lines: string[];
}

/** Which dataset a folder holds, and whether it is the narrated (`_audio`) one. */
export interface DatasetFolder {
  dir: string;
  dataset: string;
  narrated: boolean;
}

/** Name the dataset of `BASE/DATASET` or `BASE/DATASET_audio`. */
export function datasetFolder(dir: string): DatasetFolder {
  dir = resolve(dir);
  const { dataset, kind } = parseDatasetFolderName(basename(dir));
  return { dir, dataset, narrated: kind === "narrated" };
}

/** Every shard manifest of `dataset` in `dir`, by mode then first row. */
export async function readShardManifests(dir: string, dataset: string): Promise<ShardManifest[]> {
  const shards: ShardManifest[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const parsed = parseManifestFileName(entry.name);
    if (!entry.isFile || parsed?.dataset !== dataset || parsed.start === null) continue;
    const text = await Deno.readTextFile(join(dir, entry.name));
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    shards.push({ name: entry.name, mode: parsed.mode, start: parsed.start, lines });
  }
  return shards.sort((a, b) => a.mode.localeCompare(b.mode) || a.start - b.start);
}

/** One manifest line kept by {@link mergeShardLines}. */
export interface MergedLine {
  index: number;
  /** The line as written. */
  raw: string;
  fields: Record<string, unknown>;
  manifest: string;
  /** 1-based line number in `manifest`. */
  line: number;
}

/** Result of {@link mergeShardLines}. */
export interface MergedManifest {
  /** One line per row, in row order. */
  lines: MergedLine[];
  /** Lines that are not JSON objects with a numeric `index` and a `video_path`. */
  badLines: number;
  /** Lines naming a row already listed (the first listing wins). */
  duplicates: number;
}

/** Merge the shards of one mode: row order, the first listing of a row wins, bad lines counted. */
export function mergeShardLines(
  shards: ShardManifest[],
  mode: ShardManifest["mode"],
): MergedManifest {
  const byIndex = new Map<number, MergedLine>();
  let badLines = 0;
  let duplicates = 0;
  for (const shard of shards) {
    if (shard.mode !== mode) continue;
    for (const [i, raw] of shard.lines.entries()) {
      if (raw.trim() === "") continue;
      let fields: unknown;
      try {
        fields = JSON.parse(raw);
      } catch {
        fields = null;
      }
      const record = fields as Record<string, unknown> | null;
      if (
        typeof record !== "object" || record === null || Array.isArray(record) ||
        typeof record.index !== "number" || typeof record.video_path !== "string"
      ) {
        badLines++;
        continue;
      }
      if (byIndex.has(record.index)) {
        duplicates++;
        continue;
      }
      byIndex.set(record.index, {
        index: record.index,
        raw,
        fields: record,
        manifest: shard.name,
        line: i + 1,
      });
    }
  }
  const lines = [...byIndex.values()].sort((a, b) => a.index - b.index);
  return { lines, badLines, duplicates };
}
