/** Check a dataset output folder's manifests against the videos on disk; fix and merge. */
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import {
  manifestFileName,
  parseDatasetFolderName,
  parseManifestFileName,
  parseVideoFileName,
  removedLinesFileName,
  videoFileName,
} from "../paths/mod.ts";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { mapLimit } from "../concurrency/mod.ts";
import { withDefaults } from "../defaults/mod.ts";
import { type ProbeResult, probeVideo } from "./_probe.ts";
import { fingerprintMismatch, lockShard, type ShardLock } from "../pipeline/mod.ts";
import { mp4Fingerprint } from "../encode/mod.ts";
import {
  datasetFolder,
  mergeShardLines,
  readShardManifests,
  type ShardManifest,
} from "./_shards.ts";

/** What kind of problem a finding is. */
export type FindingKind =
  | "bad_line"
  | "outside"
  | "moved"
  | "missing"
  | "corrupt"
  | "mismatch"
  | "duplicate"
  | "orphan";

/** One problem found. */
export interface Finding {
  kind: FindingKind;
  /** Manifest file name (not for orphans). */
  manifest?: string;
  /** 1-based line number in the manifest. */
  line?: number;
  index?: number;
  video?: string;
  detail: string;
}

/** Result of {@link verifyDataset}. */
export interface VerifyReport {
  dir: string;
  dataset: string;
  narrated: boolean;
  /** Shard manifests checked. */
  manifests: string[];
  /** Manifest lines read. */
  lines: number;
  /** Distinct video files probed. */
  videosChecked: number;
  findings: Finding[];
  /** Filled by `fix`. */
  fixed: {
    linesRemoved: number;
    /** Lines kept with `video_path` rewritten to the folder's real location (a moved dataset). */
    linesRewritten: number;
    filesDeleted: number;
    manifestsRewritten: number;
    /** `NAME.removed.jsonl` files the removed lines were appended to. */
    removedTo: string[];
  };
  /** Merged manifest paths written by `merge`. */
  merged: string[];
}

/** Options of {@link verifyDataset}. */
export interface VerifyOptions {
  /**
   * Rewrite manifests without bad lines (saved to `NAME.removed.jsonl` beside each manifest)
   * and delete corrupt files; only files named like this tool's videos inside `DIR/video/` are
   * ever deleted. Takes every shard's render lock first, so it refuses while one is rendered.
   */
  fix?: boolean;
  /** Write one `DATASET_MODE_video_data.jsonl` per mode, in row order, no duplicates. */
  merge?: boolean;
  /**
   * Parallel ffprobe processes.
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * ffprobe binary.
   * @default {"ffprobe"}
   */
  ffprobe?: string;
}

/**
 * What {@link verifyDataset} does when a direct caller leaves a field out (the `verify` command
 * resolves every field from its option rows, which take these values).
 */
export const VERIFY_DEFAULTS: Readonly<Required<VerifyOptions>> = {
  fix: false,
  merge: false,
  concurrency: Math.max(1, navigator.hardwareConcurrency || 1),
  ffprobe: "ffprobe",
};

type Shard = ShardManifest;

interface Entry {
  shard: Shard;
  lineNo: number;
  raw: string;
  index: number;
  video: string;
  expected: Record<string, unknown>;
  bad: boolean;
  /** The line with `video_path` rewritten to the folder's real location (a moved dataset). */
  rewritten?: string;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Compare a probe with the manifest's frames / size / duration; `null` when they agree. */
function mismatch(
  probe: Extract<ProbeResult, { ok: true }>,
  expected: Record<string, unknown>,
  narrated: boolean,
): string | null {
  const width = num(expected.width);
  const height = num(expected.height);
  if ((width !== null && width !== probe.width) || (height !== null && height !== probe.height)) {
    return `size ${probe.width}x${probe.height}, manifest says ${width}x${height}`;
  }
  const frames = num(expected.frames);
  if (frames !== null && frames !== probe.frames) {
    return `${probe.frames} frames, manifest says ${frames}`;
  }
  const duration = num(expected.duration);
  const fps = num(expected.fps) ?? 25;
  if (duration !== null && Number.isFinite(probe.duration)) {
    // One and a half frames of slack: containers round timestamps.
    if (Math.abs(probe.duration - duration) > Math.max(1.5 / fps, 0.05)) {
      return `duration ${probe.duration.toFixed(3)} s, manifest says ${duration} s`;
    }
  }
  if (narrated && !probe.hasAudio) return "no audio stream in a narrated video";
  return null;
}

/** Sub-folders of `dir` that hold their own dataset's shard manifests (`dir` is a base dir). */
async function datasetSubfolders(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isDirectory) continue;
    const { dataset } = parseDatasetFolderName(entry.name);
    const shards = await readShardManifests(join(dir, entry.name), dataset).catch(() => []);
    if (shards.length > 0) found.push(entry.name);
  }
  return found.sort();
}

/**
 * Where this folder's video of row `index` is, for a line naming `path`: `path` itself when it
 * is `DIR/video/DATASET_NNNNNN.mp4` by real path; the file of that name in `DIR/video/` when the
 * line names another folder (a dataset moved or copied since: `moved`); otherwise why not.
 */
async function ownVideo(
  path: string,
  where: { videoDir: string; dataset: string; index: number },
): Promise<{ video: string; moved: boolean } | { problem: string }> {
  const { videoDir, dataset, index } = where;
  const name = basename(path);
  const parsed = parseVideoFileName(name);
  const ownName = parsed?.dataset === dataset && parsed.index === index;
  const folder = dirname(path) === videoDir
    ? videoDir
    : await Deno.realPath(dirname(path)).catch(() => null);
  if (folder === videoDir) {
    if (!ownName) {
      return { problem: `video_path names ${name}, not ${videoFileName(dataset, index)}` };
    }
    return { video: join(videoDir, name), moved: false };
  }
  const here = join(videoDir, name);
  if (ownName && (await Deno.lstat(here).catch(() => null))?.isFile) {
    return { video: here, moved: true };
  }
  return { problem: `video_path is not inside ${videoDir}/` };
}

/** True if `path` is a file `--fix` may delete: one of this tool's video names in `videoDir`. */
function deletable(path: string, videoDir: string, dataset: string): boolean {
  return dirname(path) === videoDir && parseVideoFileName(basename(path))?.dataset === dataset;
}

/** Verify `dir` (`BASE/DATASET` or `BASE/DATASET_audio`): read → probe → judge → fix → merge. */
export async function verifyDataset(
  dir: string,
  given: VerifyOptions = {},
): Promise<VerifyReport> {
  const options = withDefaults(VERIFY_DEFAULTS, given);
  // Real paths throughout: a folder reached through a symlink is the folder itself.
  dir = await Deno.realPath(resolve(dir)).catch(() => resolve(dir));
  const { dataset, narrated } = await readDatasetFolder(dir);
  // --fix takes every shard's render lock first: it must not edit what a render is writing.
  const locks = options.fix ? await lockShards(dir, { dataset, narrated }) : [];
  try {
    return await verifyLocked(dir, { dataset, narrated }, options);
  } finally {
    for (const lock of locks) await lock.release();
  }
}

async function verifyLocked(
  dir: string,
  folder: { dataset: string; narrated: boolean },
  options: Required<VerifyOptions>,
): Promise<VerifyReport> {
  const { dataset, narrated } = folder;
  const shards = await readShards(dir, dataset);
  const videoDir = join(dir, "video");
  const report: VerifyReport = {
    dir,
    dataset,
    narrated,
    manifests: shards.map((s) => s.name),
    lines: 0,
    videosChecked: 0,
    findings: [],
    fixed: {
      linesRemoved: 0,
      linesRewritten: 0,
      filesDeleted: 0,
      manifestsRewritten: 0,
      removedTo: [],
    },
    merged: [],
  };
  const entries = await readEntries(shards, { dir, videoDir, dataset }, report);
  const { verdicts, orphans } = await probeVideos(entries, { videoDir, narrated }, {
    report,
    options,
  });
  const corruptFiles = judge(entries, { verdicts, orphans }, report);
  if (options.fix) await fix(shards, entries, { dir, videoDir, dataset, corruptFiles, report });
  if (options.merge) await merge(shards, entries, { dir, dataset, narrated, report });
  return report;
}

/** The dataset a folder holds, or an error if it is no folder. */
async function readDatasetFolder(dir: string): Promise<{ dataset: string; narrated: boolean }> {
  const stat = await Deno.stat(dir).catch(() => null);
  if (!stat?.isDirectory) throw new Error(`${dir} is not a directory`);
  const { dataset, narrated } = datasetFolder(dir);
  return { dataset, narrated };
}

/**
 * Take the render lock of every shard in `dir` (those with manifests, and those a render holds
 * a lock for), as `render` takes them; throws render's one-line error while one is rendered.
 */
async function lockShards(
  dir: string,
  folder: { dataset: string; narrated: boolean },
): Promise<ShardLock[]> {
  const prefix = `${folder.dataset}_${folder.narrated ? "narrated" : "silent"}_`;
  const names = new Set<string>();
  for await (const entry of Deno.readDir(dir)) {
    const lock = /^\.(.+)\.lock$/.exec(entry.name)?.[1];
    if (lock?.startsWith(prefix) && /^\d+$/.test(lock.slice(prefix.length))) names.add(lock);
    const manifest = parseManifestFileName(entry.name);
    if (manifest?.dataset === folder.dataset && manifest.start !== null) {
      names.add(`${prefix}${manifest.start}`);
    }
  }
  const locks: ShardLock[] = [];
  try {
    for (const name of [...names].sort()) locks.push(await lockShard(dir, name));
  } catch (error) {
    for (const lock of locks) await lock.release();
    throw error;
  }
  return locks;
}

/** The folder's shard manifests, or an error saying which folder to pass. */
async function readShards(dir: string, dataset: string): Promise<Shard[]> {
  const shards = await readShardManifests(dir, dataset);
  if (shards.length === 0) {
    const datasets = await datasetSubfolders(dir);
    if (datasets.length > 0) {
      throw new Error(
        `${dir} is a base folder, not one dataset's: verify expects BASE/DATASET or ` +
          `BASE/DATASET_audio, e.g. \`videoword verify ${join(dir, datasets[0])}\` ` +
          `(found ${datasets.join(", ")})`,
      );
    }
    throw new Error(
      `${dir} has no manifests named ${dataset}_{inference,rendering}_video_data_START.jsonl: ` +
        `verify expects a dataset output folder, BASE/DATASET or BASE/DATASET_audio`,
    );
  }
  return shards;
}

/** Parse every manifest line; flag bad lines, lines naming another file, and duplicates. */
async function readEntries(
  shards: Shard[],
  where: { dir: string; videoDir: string; dataset: string },
  report: VerifyReport,
): Promise<Entry[]> {
  const { dir, videoDir, dataset } = where;
  const entries: Entry[] = [];
  const seen = new Map<string, Set<number>>(); // mode → indices already listed
  for (const shard of shards) {
    const indices = seen.get(shard.mode) ?? new Set<number>();
    seen.set(shard.mode, indices);
    for (const [i, raw] of shard.lines.entries()) {
      if (raw.trim() === "") continue;
      report.lines++;
      const at = { manifest: shard.name, line: i + 1 };
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw 0;
      } catch {
        report.findings.push({ kind: "bad_line", ...at, detail: "not a JSON object" });
        entries.push({ shard, lineNo: i, raw, index: -1, video: "", expected: {}, bad: true });
        continue;
      }
      const index = parsed.index;
      const videoField = parsed.video_path;
      if (typeof videoField !== "string" || typeof index !== "number") {
        report.findings.push({ kind: "bad_line", ...at, detail: "no video_path or index" });
        entries.push({ shard, lineNo: i, raw, index: -1, video: "", expected: {}, bad: true });
        continue;
      }
      const named = isAbsolute(videoField) ? resolve(videoField) : resolve(dir, videoField);
      const own = await ownVideo(named, { videoDir, dataset, index });
      const video = "video" in own ? own.video : named;
      const entry: Entry = { shard, lineNo: i, raw, index, video, expected: parsed, bad: false };
      entries.push(entry);
      // A line pointing anywhere else (another folder, `..`, a manifest) is flagged and, with
      // --fix, dropped; the file it names is never probed as ours or deleted.
      if ("problem" in own) {
        entry.bad = true;
        report.findings.push({ kind: "outside", ...at, index, video, detail: own.problem });
        continue;
      }
      if (own.moved) {
        // The folder was moved or copied: the video is here, under its own name.
        entry.rewritten = JSON.stringify({ ...parsed, video_path: video });
        report.findings.push({
          kind: "moved",
          ...at,
          index,
          video,
          detail: `video_path names ${named}; the video is in this folder (--fix rewrites it)`,
        });
      }
      if (indices.has(index)) {
        entry.bad = true;
        report.findings.push({
          kind: "duplicate",
          ...at,
          index,
          video,
          detail: `row ${index} is listed again`,
        });
      }
      indices.add(index);
    }
  }

  return entries;
}

type Verdict = {
  kind: "ok" | "missing" | "corrupt";
  detail: string;
  /** The fingerprint embedded in the video (null: none); read for whole videos. */
  fingerprint?: string | null;
};

/** Probe every distinct listed video, plus the orphans (MP4s no line lists), in parallel. */
async function probeVideos(
  entries: Entry[],
  where: { videoDir: string; narrated: boolean },
  run: { report: VerifyReport; options: Required<VerifyOptions> },
): Promise<{ verdicts: Map<string, Verdict>; orphans: string[] }> {
  const { videoDir, narrated } = where;
  const { report, options } = run;
  const listed = new Map<string, Entry>();
  for (const entry of entries) {
    if (!entry.bad && !listed.has(entry.video)) listed.set(entry.video, entry);
  }
  const orphans: string[] = [];
  try {
    for await (const entry of Deno.readDir(videoDir)) {
      const path = join(videoDir, entry.name);
      if (entry.isFile && entry.name.endsWith(".mp4") && !listed.has(path)) orphans.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  orphans.sort();
  const verdicts = new Map<string, Verdict>();
  const ffprobe = options.ffprobe;
  await mapLimit(
    [...listed.keys(), ...orphans],
    options.concurrency,
    async (path) => {
      const info = await Deno.stat(path).catch(() => null);
      if (!info) return void verdicts.set(path, { kind: "missing", detail: "file does not exist" });
      if (info.size === 0) {
        return void verdicts.set(path, { kind: "corrupt", detail: "empty file" });
      }
      const probe = await probeVideo(path, ffprobe);
      report.videosChecked++;
      if (!probe.ok) return void verdicts.set(path, { kind: "corrupt", detail: probe.error });
      const expected = listed.get(path)?.expected;
      const wrong = expected ? mismatch(probe, expected, narrated) : null;
      const fingerprint = await mp4Fingerprint(path);
      verdicts.set(
        path,
        wrong ? { kind: "corrupt", detail: wrong } : { kind: "ok", detail: "", fingerprint },
      );
    },
  );
  return { verdicts, orphans };
}

/** Turn verdicts into findings (lines whose video is missing or wrong, orphans); the corrupt files. */
function judge(
  entries: Entry[],
  probed: { verdicts: Map<string, Verdict>; orphans: string[] },
  report: VerifyReport,
): Set<string> {
  const { verdicts, orphans } = probed;
  for (const entry of entries) {
    if (entry.bad) continue;
    const verdict = verdicts.get(entry.video);
    if (!verdict) continue;
    if (verdict.kind === "ok") {
      // A whole video showing something else: the line goes (--fix), the video stays.
      const other = fingerprintMismatch(entry.expected, verdict.fingerprint ?? null);
      if (!other) continue;
      entry.bad = true;
      report.findings.push({
        kind: "mismatch",
        manifest: entry.shard.name,
        line: entry.lineNo + 1,
        index: entry.index,
        video: entry.video,
        detail: other,
      });
      continue;
    }
    entry.bad = true;
    report.findings.push({
      kind: verdict.kind,
      manifest: entry.shard.name,
      line: entry.lineNo + 1,
      index: entry.index,
      video: entry.video,
      detail: verdict.detail,
    });
  }
  const corruptFiles = new Set(
    [...verdicts].filter(([, v]) => v.kind === "corrupt").map(([path]) => path),
  );
  for (const path of orphans) {
    const verdict = verdicts.get(path);
    const corrupt = verdict?.kind === "corrupt";
    report.findings.push({
      kind: "orphan",
      video: path,
      detail: corrupt
        ? `not in any manifest, and corrupt: ${verdict?.detail}`
        : "not in any manifest",
    });
  }

  return corruptFiles;
}

/** Rewrite manifests without their bad lines, and delete corrupt videos of this folder. */
async function fix(
  shards: Shard[],
  entries: Entry[],
  run: {
    dir: string;
    videoDir: string;
    dataset: string;
    corruptFiles: Set<string>;
    report: VerifyReport;
  },
): Promise<void> {
  const { dir, videoDir, dataset, corruptFiles, report } = run;
  for (const shard of shards) {
    const own = entries.filter((e) => e.shard === shard);
    const kept = own.filter((e) => !e.bad);
    const removed = own.filter((e) => e.bad).map((e) => e.raw);
    const rewritten = kept.filter((e) => e.rewritten !== undefined).length;
    if (removed.length === 0 && rewritten === 0) continue;
    if (removed.length > 0) {
      // Saved first: a line leaves the manifest only once it is kept beside it.
      const path = join(dir, removedLinesFileName(shard.name));
      const before = await Deno.readTextFile(path).catch(() => "");
      await writeFileAtomic(path, before + removed.map((l) => `${l}\n`).join(""));
      report.fixed.removedTo.push(path);
    }
    const text = kept.map((e) => `${e.rewritten ?? e.raw}\n`).join("");
    await writeFileAtomic(join(dir, shard.name), text);
    report.fixed.linesRemoved += removed.length;
    report.fixed.linesRewritten += rewritten;
    report.fixed.manifestsRewritten++;
  }
  for (const path of corruptFiles) {
    if (!deletable(path, videoDir, dataset)) continue;
    await Deno.remove(path).catch(() => {});
    report.fixed.filesDeleted++;
  }
}

/** Write one `DATASET_MODE_video_data.jsonl` per mode from the good lines ({@link mergeShardLines}). */
async function merge(
  shards: Shard[],
  entries: Entry[],
  run: { dir: string; dataset: string; narrated: boolean; report: VerifyReport },
): Promise<void> {
  const { dir, dataset, narrated, report } = run;
  const good = shards.map((shard) => ({
    ...shard,
    lines: entries.filter((e) => e.shard === shard && !e.bad).map((e) => e.rewritten ?? e.raw),
  }));
  for (const mode of ["inference", "rendering"] as const) {
    const { lines } = mergeShardLines(good, mode);
    if (lines.length === 0) continue;
    const text = lines.map(({ raw }) => `${raw}\n`).join("");
    const kind = narrated ? "narrated" : "silent";
    const path = join(dir, manifestFileName(dataset, { kind, mode }));
    await writeFileAtomic(path, text);
    report.merged.push(path);
  }
}

/** Human summary of a report (one line per finding, then totals). */
export function formatReport(report: VerifyReport): string {
  const out: string[] = [];
  for (const f of report.findings) {
    const where = f.manifest ? `${f.manifest}:${f.line}` : f.video ?? "";
    const row = f.index !== undefined ? ` row ${f.index}` : "";
    out.push(`${f.kind}: ${where}${row}: ${f.detail}`);
  }
  const count = (kind: FindingKind) => report.findings.filter((f) => f.kind === kind).length;
  out.push(
    `${report.dir}: ${report.manifests.length} manifests, ${report.lines} lines, ` +
      `${report.videosChecked} videos probed; missing ${count("missing")}, ` +
      `corrupt ${count("corrupt")}, duplicate ${count("duplicate")}, bad lines ` +
      `${count("bad_line")}, outside the folder ${count("outside")}, orphaned ${count("orphan")}` +
      (count("moved") ? `, naming a moved folder ${count("moved")}` : ""),
  );
  if (report.fixed.manifestsRewritten || report.fixed.filesDeleted) {
    out.push(
      `fixed: removed ${report.fixed.linesRemoved} lines and rewrote the video_path of ` +
        `${report.fixed.linesRewritten} in ${report.fixed.manifestsRewritten} manifests, ` +
        `deleted ${report.fixed.filesDeleted} corrupt files (re-run render on those shards to ` +
        `regenerate them)`,
    );
  }
  for (const path of report.fixed.removedTo) out.push(`removed lines saved to: ${path}`);
  for (const path of report.merged) out.push(`merged: ${path}`);
  return out.join("\n");
}
