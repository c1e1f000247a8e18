/** `submit --status`: queue state of the `vwd_*` jobs and per-shard progress on disk. */
import { join } from "node:path";
import { parseManifestFileName, parseVideoFileName, statsFileName } from "../paths/mod.ts";
import type { QueueEntry } from "./_cluster.ts";

/** Per job: how many array tasks are in each state. */
export interface JobSummary {
  jobId: string;
  name: string;
  /** State → task count (a pending range `[3-9]` counts its 7 tasks). */
  states: Record<string, number>;
}

function taskCount(arrayTask: string): number {
  const match = /^\[?(\d+)-(\d+)(?:%\d+)?\]?$/.exec(arrayTask);
  if (match) return Number(match[2]) - Number(match[1]) + 1;
  if (/^\[.*\]$/.test(arrayTask)) {
    // "[1,3,5-7]" lists
    return arrayTask.slice(1, -1).replace(/%\d+$/, "").split(",").reduce((sum, piece) => {
      const range = /^(\d+)-(\d+)$/.exec(piece);
      return sum + (range ? Number(range[2]) - Number(range[1]) + 1 : 1);
    }, 0);
  }
  return 1;
}

/** Group queue entries by job. */
export function summariseQueue(entries: QueueEntry[]): JobSummary[] {
  const byJob = new Map<string, JobSummary>();
  for (const entry of entries) {
    let summary = byJob.get(entry.jobId);
    if (!summary) {
      summary = { jobId: entry.jobId, name: entry.name, states: {} };
      byJob.set(entry.jobId, summary);
    }
    const n = taskCount(entry.arrayTask);
    summary.states[entry.state] = (summary.states[entry.state] ?? 0) + n;
  }
  return [...byJob.values()];
}

/** Progress of one shard (one `start` of one output folder). */
export interface ShardProgress {
  /** Output folder name (`gsm8k`, `gsm8k_audio`). */
  folder: string;
  start: number;
  /** Manifest lines per mode. */
  lines: Record<string, number>;
  /** MP4 files whose index falls in this shard's range. */
  videos: number;
  /** `DATASET_stats_START.json` exists (render finished the shard). */
  done: boolean;
  /** A render holds the shard's lock now (its manifests are written only at its end). */
  rendering: boolean;
}

async function countLines(path: string): Promise<number> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line.trim() !== "").length;
}

/** Scan every output folder under `baseDir` for shard manifests and videos. */
export async function shardProgress(baseDir: string): Promise<ShardProgress[]> {
  const result: ShardProgress[] = [];
  let folders: Deno.DirEntry[];
  try {
    folders = [...Deno.readDirSync(baseDir)].filter((e) => e.isDirectory && e.name !== "logs");
  } catch {
    return result;
  }
  for (const folder of folders.sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(baseDir, folder.name);
    const shards = new Map<number, ShardProgress>();
    let dataset = "";
    const shardAt = (start: number): ShardProgress => {
      let shard = shards.get(start);
      if (!shard) {
        shard = { folder: folder.name, start, lines: {}, videos: 0, done: false, rendering: false };
        shards.set(start, shard);
      }
      return shard;
    };
    for (const entry of Deno.readDirSync(dir)) {
      // A shard being rendered for the first time has its lock and videos, no manifest yet.
      const lock = /^\.(.+)_(?:silent|narrated)_(\d+)\.lock$/.exec(entry.name);
      if (entry.isFile && lock) {
        dataset ||= lock[1];
        shardAt(Number(lock[2])).rendering = true;
        continue;
      }
      const manifest = parseManifestFileName(entry.name);
      if (!entry.isFile || manifest?.start == null) continue;
      dataset = manifest.dataset;
      shardAt(manifest.start).lines[manifest.mode] = await countLines(join(dir, entry.name));
    }
    if (shards.size === 0) continue;
    const sorted = [...shards.values()].sort((a, b) => a.start - b.start);
    const indices: number[] = [];
    try {
      for (const entry of Deno.readDirSync(join(dir, "video"))) {
        const video = parseVideoFileName(entry.name);
        if (entry.isFile && video) indices.push(video.index);
      }
    } catch {
      // no video folder yet
    }
    for (const [i, shard] of sorted.entries()) {
      const end = sorted[i + 1]?.start ?? Infinity;
      shard.videos = indices.filter((index) => index >= shard.start && index < end).length;
      try {
        Deno.statSync(join(dir, statsFileName(dataset, shard.start)));
        shard.done = true;
      } catch {
        shard.done = false;
      }
      result.push(shard);
    }
  }
  return result;
}

/** Text of `submit --status`. */
export function formatStatus(jobs: JobSummary[], shards: ShardProgress[]): string {
  const out: string[] = [];
  if (jobs.length === 0) out.push("no vwd_* jobs in the queue");
  for (const job of jobs) {
    const states = Object.entries(job.states).map(([s, n]) => `${s.toLowerCase()} ${n}`);
    out.push(`${job.jobId} ${job.name}: ${states.join(", ")}`);
  }
  if (shards.length > 0) out.push("", "shards on disk (folder start: videos, manifest lines):");
  for (const shard of shards) {
    const lines = Object.entries(shard.lines).sort().map(([m, n]) => `${m} ${n}`).join(", ");
    out.push(
      `  ${shard.folder} ${shard.start}: ${shard.videos} videos` + (lines ? `, ${lines}` : "") +
        (shard.rendering ? ", being rendered" : "") + (shard.done ? ", done" : ""),
    );
  }
  return out.join("\n");
}
