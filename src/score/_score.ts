/**
 * `videoword score`: read every listed video's text back with OCR and compare it with what its
 * manifest line says the video shows. Per-video lines go to `DATASET_DIR/score/*.jsonl`
 * (rewritten atomically as the run goes, so a killed run resumes where it stopped).
 */
import { basename, join, resolve } from "node:path";
import { mapLimit } from "../concurrency/mod.ts";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import {
  type ManifestMode,
  parseManifestFileName,
  scorePath,
  type ScoreSource,
  videoKey,
} from "../paths/mod.ts";
import type { ManifestLine } from "../pipeline/mod.ts";
import { createProgress, type ProgressOptions } from "../progress/mod.ts";
import {
  charErrors,
  exactLines,
  extractAnswer,
  READ_VERSION,
  sameAnswer,
  SCORE_VERSION,
} from "./_text.ts";
import { type Expected, expectedPages } from "./_expect.ts";
import {
  type ExpectedNarrated,
  expectedNarrated,
  isNarratedLine,
  type NarratedRegion,
} from "./_expect_narrated.ts";
import {
  extractFrames,
  OCR_TOOLS_DEFAULTS,
  ocrEngine,
  ocrPng,
  ocrPngs,
  ocrScale,
  type OcrTools,
  probeFrames,
  tesseractLanguage,
} from "./_ocr.ts";

/**
 * A video whose CER is above this is flagged: its text is not its line's (a wrong caption, a
 * swapped file, illegible frames). Clean renders read at well under 5%; another row's text at
 * 60% or more.
 */
export const FLAG_CER = 0.2;

/** One page (own videos) or the final frames (generated videos) as read. */
export interface PageScore {
  /**
   * What was read: a silent video's page, or a narrated video's prompt page or subtitle cue
   * (the subtitle band alone).
   */
  part: "page" | NarratedRegion["part"];
  /** Frame read (generated videos: the frame whose read was best). */
  frame: number;
  expected: string[];
  read: string;
  /** Edits and reference characters (normalised). */
  edits: number;
  chars: number;
  lines: number;
  exact_lines: number;
}

/** One line of `score/*.jsonl`: one video's score. */
export interface VideoScore {
  key: string;
  dataset: string;
  index: number;
  source: ScoreSource;
  mode: ManifestMode;
  video: string;
  /** Size and mtime of the video scored, and its line's fingerprint: a re-run skips it if equal. */
  size: number;
  mtime: number;
  fingerprint: string | null;
  /**
   * How the line was scored: {@link SCORE_VERSION} and the OCR engine with its arguments
   * (`tesseract 5.3.0 -l eng --psm 6`; null when nothing was read). A re-run keeps the line only
   * when both are its own; lines written before these fields are read again.
   */
  score_version: number;
  /** {@link READ_VERSION}: what was read (absent on lines written before it: read again). */
  read_version: number;
  ocr_engine: string | null;
  language: "en" | "zh" | null;
  pages: PageScore[];
  /** Edits over reference characters, all pages; null when the video could not be scored. */
  cer: number | null;
  exact_line_accuracy: number | null;
  /** Math: the answer the line states and the one read; null for stories. */
  answer_expected: string | null;
  answer_read: string | null;
  answer_correct: boolean | null;
  flagged: boolean;
  /** Why the video was not scored (missing file, unreadable video, line not re-plannable). */
  problem: string | null;
}

/** The manifests a score reads: one kind, or (`all`) each kind a dataset folder holds. */
export type ScoreMode = ManifestMode | "all";

/** Everything `scoreDataset` reads; the command resolves every field. */
export interface ScoreOptions {
  /**
   * Which manifests to read (`scoreDataset` reads one kind; `scoreDatasets` also `all`).
   * @default {"rendering"}
   */
  mode: ScoreMode;
  /** Score generated videos in this folder (files named by the manifest's keys) instead. */
  videos: string | null;
  /**
   * Videos scored at once (each runs ffmpeg, then tesseract once per frame).
   * @default {navigator.hardwareConcurrency}
   */
  concurrency: number;
  /**
   * CER above which a video is flagged.
   * @default {0.2}
   */
  flagCer: number;
  /**
   * Generated videos: how many of the final frames are read (the best read counts).
   * @default {3}
   */
  finalFrames: number;
  /** @default {"auto"} */
  progress: NonNullable<ProgressOptions["mode"]>;
  tools: OcrTools;
}

/** The defaults of {@link ScoreOptions} (concurrency: the CPU count). */
export function scoreDefaults(): ScoreOptions {
  return {
    mode: "rendering",
    videos: null,
    concurrency: Math.max(1, navigator.hardwareConcurrency || 1),
    flagCer: FLAG_CER,
    finalFrames: 3,
    progress: "auto",
    tools: { ...OCR_TOOLS_DEFAULTS },
  };
}

/** What `score --json` prints (one object), plus every video's score for the report. */
export interface ScoreSummary {
  dataset_dir: string;
  mode: ManifestMode;
  source: ScoreSource;
  /** Videos scored (this run and kept from an earlier one), problems excluded. */
  samples: number;
  /**
   * Read by this run / kept from an earlier read: an earlier run's score lines, or (`--mode
   * all`) the other mode's read of the same video in this run.
   */
  scored: number;
  reused: number;
  /**
   * Of `scored`: videos whose earlier score line was read again because the scoring changed
   * (another {@link SCORE_VERSION} or OCR engine), the video and its line being the same.
   */
  rescored: number;
  /** Of `rescored`: scored again from the stored reads, without OCR (see {@link READ_VERSION}). */
  recomputed: number;
  /** Edits over reference characters over every scored video; null when none was scored. */
  cer: number | null;
  exact_line_accuracy: number | null;
  /** Math datasets: share of videos whose read answer equals the line's; null otherwise. */
  answer_accuracy: number | null;
  flag_cer: number;
  /** Keys of flagged videos (CER above `flag_cer`, or not scorable). */
  flagged: string[];
  problems: { key: string; problem: string }[];
  score_files: string[];
}

interface Job {
  line: ManifestLine;
  key: string;
  video: string;
  previous: VideoScore | undefined;
}

/** Videos with these extensions are looked for in `--videos DIR`, in this order. */
const GENERATED_EXTENSIONS = [".mp4", ".webm", ".mkv", ".mov", ".avi", ".gif"];

async function findGenerated(dir: string, key: string): Promise<string> {
  for (const ext of GENERATED_EXTENSIONS) {
    const path = join(dir, key + ext);
    try {
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // next extension
    }
  }
  return join(dir, key + ".mp4");
}

async function readJsonl<T>(path: string): Promise<{ items: T[]; bad: number }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { items: [], bad: 0 };
    throw error;
  }
  const items: T[] = [];
  let bad = 0;
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      items.push(JSON.parse(raw) as T);
    } catch {
      bad++;
    }
  }
  return { items, bad };
}

/** The shard manifests of `mode` in `dir` (the merged one only when there are no shards). */
export async function manifestsOf(dir: string, mode: ManifestMode): Promise<string[]> {
  const shards: { name: string; start: number }[] = [];
  const merged: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    const parsed = parseManifestFileName(entry.name);
    if (!parsed || parsed.mode !== mode) continue;
    if (parsed.start === null) merged.push(entry.name);
    else shards.push({ name: entry.name, start: parsed.start });
  }
  shards.sort((a, b) => a.start - b.start);
  return shards.length > 0 ? shards.map((s) => s.name) : merged;
}

function pageScore(
  frame: number,
  expected: string[],
  read: string,
  language: "en" | "zh",
  part: PageScore["part"] = "page",
): PageScore {
  const { edits, length } = charErrors(expected.join("\n"), read, language);
  return {
    part,
    frame,
    expected,
    read,
    edits,
    chars: length,
    lines: expected.length,
    exact_lines: exactLines(expected, read.split("\n"), language),
  };
}

/**
 * What an own video's reads are compared with, in the order they are read and stored: a silent
 * video's pages; a narrated video's prompt pages, then its subtitle cues.
 */
function ownReads(
  expected: Extract<Expected | ExpectedNarrated, { language: unknown }>,
): { part: PageScore["part"]; frame: number; lines: string[] }[] {
  if (!("regions" in expected)) {
    return expected.pages.map((p) => ({ part: "page", frame: p.frame, lines: p.lines }));
  }
  return (["prompt", "subtitle"] as const).flatMap((part) =>
    expected.regions.filter((r) => r.part === part)
  );
}

/**
 * `stored`'s pages scored again from their stored reads, or null unless that is exact: an own
 * video read by this {@link READ_VERSION}, OCR engine and language, whose stored pages are the
 * parts, frames and expected lines this run would read.
 */
function storedReads(
  stored: VideoScore | undefined,
  expected: Extract<Expected | ExpectedNarrated, { language: unknown }>,
  engine: string,
): PageScore[] | null {
  if (
    stored === undefined || stored.source !== "own" || stored.read_version !== READ_VERSION ||
    stored.ocr_engine !== engine || stored.language !== expected.language ||
    !Array.isArray(stored.pages)
  ) return null;
  const reads = ownReads(expected);
  const same = reads.length === stored.pages.length && reads.every((r, i) => {
    const page = stored.pages[i];
    return page.part === r.part && page.frame === r.frame && typeof page.read === "string" &&
      page.expected.length === r.lines.length && page.expected.every((l, j) => l === r.lines[j]);
  });
  if (!same) return null;
  return reads.map((r, i) =>
    pageScore(r.frame, r.lines, stored.pages[i].read, expected.language, r.part)
  );
}

/**
 * Score one video against its line; with `stored` (its line of another scoring version), from
 * the stored reads when that is exact (`fromStored`), else by reading it again.
 */
async function scoreVideo(
  job: Job,
  source: ScoreSource,
  mode: ManifestMode,
  options: ScoreOptions,
  stored?: VideoScore,
): Promise<{ score: VideoScore; fromStored: boolean }> {
  let fromStored = false;
  const score = await scoreVideoWith(job, source, mode, options, stored, () => fromStored = true);
  return { score, fromStored };
}

async function scoreVideoWith(
  job: Job,
  source: ScoreSource,
  mode: ManifestMode,
  options: ScoreOptions,
  stored: VideoScore | undefined,
  usedStored: () => void,
): Promise<VideoScore> {
  const { line } = job;
  const base = {
    key: job.key,
    dataset: line.dataset,
    index: line.index,
    source,
    mode,
    video: job.video,
    fingerprint: typeof line.fingerprint === "string" ? line.fingerprint : null,
    score_version: SCORE_VERSION,
    read_version: READ_VERSION,
  };
  const failed = (
    problem: string,
    size = 0,
    mtime = 0,
    language: { language: "en" | "zh" } | { problem: string } = { problem },
  ) => ({
    ...base,
    size,
    mtime,
    ocr_engine: null,
    language: "language" in language ? language.language : null,
    pages: [],
    cer: null,
    exact_line_accuracy: null,
    answer_expected: null,
    answer_read: null,
    answer_correct: null,
    flagged: true,
    problem,
  });
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(job.video);
  } catch {
    return failed(`video not found: ${job.video}`);
  }
  const size = stat.size;
  const mtime = stat.mtime?.getTime() ?? 0;
  const expected = isNarratedLine(line) ? expectedNarrated(line) : await expectedPages(line);
  if ("problem" in expected) return failed(expected.problem, size, mtime);
  const language = tesseractLanguage(expected.language);
  let pages: PageScore[];
  let engine: string;
  try {
    engine = await ocrEngine(language, options.tools);
    const again = source === "own" ? storedReads(stored, expected, engine) : null;
    if (again !== null) {
      pages = again;
      usedStored();
    } else if ("regions" in expected) {
      pages = await readNarrated(job.video, expected, source, options);
    } else if (source === "own") {
      const frames = expected.pages.map((p) => p.frame);
      const scale = ocrScale(expected.fontSize);
      const pngs = await extractFrames(job.video, frames, options.tools, { scale });
      pages = [];
      for (const [i, page] of expected.pages.entries()) {
        const read = await ocrPng(pngs[i], language, options.tools);
        pages.push(pageScore(page.frame, page.lines, read, expected.language));
      }
    } else {
      // A generated video ends on the text of the rendered video's last page; models flicker, so
      // several final frames are read and the best read counts.
      const last = expected.pages[expected.pages.length - 1];
      const probe = await probeFrames(job.video, options.tools);
      const count = probe.frames;
      // The text is as much bigger or smaller as the frame is (a resize keeps the layout).
      const scale = ocrScale(expected.fontSize * probe.height / expected.height);
      const step = Math.max(1, Math.round(count * 0.03));
      const frames = [
        ...new Set(
          Array.from({ length: options.finalFrames }, (_, i) => Math.max(0, count - 1 - i * step)),
        ),
      ];
      const pngs = await extractFrames(job.video, frames, options.tools, { scale });
      let best: PageScore | null = null;
      for (const [i, frame] of frames.entries()) {
        const text = await ocrPng(pngs[i], language, options.tools);
        const read = pageScore(frame, last.lines, text, expected.language);
        if (best === null || read.edits < best.edits) best = read;
      }
      pages = [best!];
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(`unreadable video: ${message.split("\n")[0]}`, size, mtime, expected);
  }
  const edits = pages.reduce((n, p) => n + p.edits, 0);
  const chars = pages.reduce((n, p) => n + p.chars, 0);
  const lines = pages.reduce((n, p) => n + p.lines, 0);
  const exact = pages.reduce((n, p) => n + p.exact_lines, 0);
  const cer = chars === 0 ? (edits === 0 ? 0 : 1) : edits / chars;
  let answerExpected: string | null = null;
  let answerRead: string | null = null;
  let answerCorrect: boolean | null = null;
  if (expected.kind === "math") {
    answerExpected = extractAnswer(line.response_text);
    if (answerExpected !== null) {
      // A narrated video says its answer in the subtitles, maybe over two cues.
      answerRead = extractAnswer(
        "regions" in expected
          ? pages.filter((p) => p.part === "subtitle").map((p) => p.read).join("\n")
          : pages[pages.length - 1].read,
      );
      answerCorrect = sameAnswer(answerExpected, answerRead);
    }
  }
  return {
    ...base,
    size,
    mtime,
    ocr_engine: engine,
    language: expected.language,
    pages,
    cer,
    exact_line_accuracy: lines === 0 ? null : exact / lines,
    answer_expected: answerExpected,
    answer_read: answerRead,
    answer_correct: answerCorrect,
    flagged: cer > options.flagCer,
    problem: null,
  };
}

/**
 * Read a narrated video: own videos every prompt page and subtitle cue at its middle frame,
 * each part cut to its area (one ffmpeg call per part, one tesseract call); generated videos the
 * prompt and the subtitle band of their final frames (the best read of each counts) against
 * the last page and cue, the areas scaled to the video's size.
 */
async function readNarrated(
  video: string,
  expected: Extract<ExpectedNarrated, { regions: unknown }>,
  source: ScoreSource,
  options: ScoreOptions,
): Promise<PageScore[]> {
  const language = tesseractLanguage(expected.language);
  const parts = ["prompt", "subtitle"] as const;
  /** Each part's frames cut to its area (one ffmpeg call per part). */
  const crops = async (
    part: NarratedRegion["part"],
    frames: number[],
    size: { width: number; height: number },
  ): Promise<Uint8Array[]> => {
    const area = expected.areas[part];
    const sx = size.width / expected.width;
    const sy = size.height / expected.height;
    const crop = {
      x: Math.round(area.crop.x * sx),
      y: Math.round(area.crop.y * sy),
      width: Math.round(area.crop.width * sx),
      height: Math.round(area.crop.height * sy),
    };
    return await extractFrames(video, frames, options.tools, {
      crop,
      negate: area.inverted,
      scale: ocrScale(area.fontSize * sy),
    });
  };
  // What each crop is compared with: own videos each region at its frame; generated videos the
  // last page and cue at each final frame (the best read of a part counts).
  const reads: { part: NarratedRegion["part"]; frame: number; lines: string[] }[] = [];
  const pngs: Uint8Array[] = [];
  if (source === "own") {
    const size = { width: expected.width, height: expected.height };
    for (const part of parts) {
      const regions = expected.regions.filter((r) => r.part === part);
      if (regions.length === 0) continue;
      pngs.push(...await crops(part, regions.map((r) => r.frame), size));
      reads.push(...regions);
    }
  } else {
    const probe = await probeFrames(video, options.tools);
    const step = Math.max(1, Math.round(probe.frames * 0.03));
    const frames = [
      ...new Set(
        Array.from(
          { length: options.finalFrames },
          (_, i) => Math.max(0, probe.frames - 1 - i * step),
        ),
      ),
    ];
    for (const part of parts) {
      const last = expected.regions.findLast((r) => r.part === part);
      if (!last) continue;
      pngs.push(...await crops(part, frames, probe));
      reads.push(...frames.map((frame) => ({ part, frame, lines: last.lines })));
    }
  }
  // One tesseract process reads every crop of the video.
  const texts = await ocrPngs(pngs, language, options.tools);
  const scored = reads.map((r, i) =>
    pageScore(r.frame, r.lines, texts[i], expected.language, r.part)
  );
  if (source === "own") return scored;
  const pages: PageScore[] = [];
  for (const part of parts) {
    const tries = scored.filter((p) => p.part === part);
    if (tries.length > 0) pages.push(tries.reduce((best, r) => r.edits < best.edits ? r : best));
  }
  return pages;
}

/**
 * Whether `previous` (an earlier score line of the same key) still holds for `job`: `"keep"` when
 * the same video and line were scored the way this run scores; `"scoring changed"` when they were
 * scored by another {@link SCORE_VERSION} or OCR engine (`engine`: this run's for a language);
 * null when there is no usable line or the video or its line changed.
 */
async function reusable(
  previous: VideoScore | undefined,
  job: Job,
  stat: Deno.FileInfo | null,
  engine: (language: string) => Promise<string>,
): Promise<"keep" | "scoring changed" | null> {
  const same = previous !== undefined && stat !== null && previous.problem === null &&
    previous.video === job.video && previous.size === stat.size &&
    previous.mtime === (stat.mtime?.getTime() ?? 0) &&
    previous.fingerprint ===
      (typeof job.line.fingerprint === "string" ? job.line.fingerprint : null);
  if (!same) return null;
  if ((previous.score_version ?? 1) !== SCORE_VERSION || previous.language === null) {
    return "scoring changed";
  }
  return previous.ocr_engine === await engine(tesseractLanguage(previous.language))
    ? "keep"
    : "scoring changed";
}

/** Summarise video scores (pure): micro-averaged CER and line accuracy, answer accuracy. */
export function summarize(
  scores: readonly VideoScore[],
  base: Pick<ScoreSummary, "dataset_dir" | "mode" | "source" | "flag_cer" | "score_files"> & {
    reused: number;
    rescored?: number;
    recomputed?: number;
  },
): ScoreSummary {
  const scored = scores.filter((s) => s.problem === null);
  const edits = scored.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.edits, 0), 0);
  const chars = scored.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.chars, 0), 0);
  const lines = scored.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.lines, 0), 0);
  const exact = scored.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.exact_lines, 0), 0);
  const answered = scored.filter((s) => s.answer_correct !== null);
  return {
    dataset_dir: base.dataset_dir,
    mode: base.mode,
    source: base.source,
    samples: scored.length,
    scored: scores.length - base.reused,
    reused: base.reused,
    rescored: base.rescored ?? 0,
    recomputed: base.recomputed ?? 0,
    cer: chars === 0 ? null : edits / chars,
    exact_line_accuracy: lines === 0 ? null : exact / lines,
    answer_accuracy: answered.length === 0
      ? null
      : answered.filter((s) => s.answer_correct).length / answered.length,
    flag_cer: base.flag_cer,
    flagged: scores.filter((s) => s.flagged).map((s) => s.key),
    problems: scores.filter((s) => s.problem !== null).map((s) => ({
      key: s.key,
      problem: s.problem!,
    })),
    score_files: base.score_files,
  };
}

/**
 * Score every video the `mode` manifests of dataset folder `dir` list (or, with `videos`, the
 * generated videos named by their keys in that folder). Resolves to the summary and the scores.
 */
export async function scoreDataset(
  dir: string,
  options: ScoreOptions,
  reuse: {
    /**
     * Scores already made this run, by video path (the other mode's): a video with the same
     * size, mtime and fingerprint is not read again.
     */
    known?: ReadonlyMap<string, VideoScore>;
  } = {},
): Promise<{ summary: ScoreSummary; scores: VideoScore[] }> {
  const mode = options.mode;
  if (mode === "all") throw new Error("scoreDataset reads one manifest kind: use scoreDatasets");
  const datasetDir = resolve(dir);
  const source: ScoreSource = options.videos === null ? "own" : "generated";
  const info = await Deno.stat(datasetDir).catch(() => null);
  if (!info?.isDirectory) {
    throw new Error(`${datasetDir} is not a folder: pass a dataset folder that render wrote`);
  }
  if (
    options.videos !== null && !(await Deno.stat(options.videos).catch(() => null))?.isDirectory
  ) {
    throw new Error(`--videos ${options.videos} is not a folder`);
  }
  const manifests = await manifestsOf(datasetDir, mode);
  if (manifests.length === 0) {
    throw new Error(
      `${datasetDir} holds no ${mode} manifest: pass a dataset folder that render wrote`,
    );
  }
  const progress = createProgress({ mode: options.progress });
  const all: VideoScore[] = [];
  const scoreFiles: string[] = [];
  let reused = 0;
  let rescored = 0;
  let recomputed = 0;
  const engine = (language: string) => ocrEngine(language, options.tools);
  const label = basename(datasetDir);
  for (const manifest of manifests) {
    const { items: lines, bad } = await readJsonl<ManifestLine>(join(datasetDir, manifest));
    if (bad > 0) progress.log(`${manifest}: ${bad} unparsable line(s) skipped`);
    const scorePathName = scorePath(datasetDir, manifest, source);
    await Deno.mkdir(join(datasetDir, "score"), { recursive: true });
    const previous = new Map(
      (await readJsonl<VideoScore>(scorePathName)).items.map((s) => [s.key, s]),
    );
    const jobs: Job[] = [];
    for (const line of lines) {
      if (typeof line?.dataset !== "string" || !Number.isSafeInteger(line.index)) continue;
      const key = videoKey(line.dataset, line.index);
      const video = source === "own"
        ? resolve(datasetDir, String(line.video_path))
        : await findGenerated(options.videos!, key);
      const known = reuse.known?.get(video);
      jobs.push({
        line,
        key,
        video,
        previous: previous.get(key) ?? (known?.key === key ? { ...known, mode } : undefined),
      });
    }
    const results: (VideoScore | undefined)[] = new Array(jobs.length);
    const counts = { scored: 0, kept: 0, flagged: 0, failed: 0 };
    let lastWrite = Date.now();
    let writing: Promise<void> = Promise.resolve();
    const checkpoint = () => {
      const text = results.filter((r) => r !== undefined).map((r) => JSON.stringify(r) + "\n")
        .join("");
      writing = writing.then(() => writeFileAtomic(scorePathName, text));
      return writing;
    };
    progress.start({ label: `score ${label} ${manifest}`, unit: "rows", total: jobs.length });
    let done = 0;
    await mapLimit(jobs, options.concurrency, async (job, i) => {
      let stat: Deno.FileInfo | null = null;
      try {
        stat = await Deno.stat(job.video);
      } catch {
        stat = null;
      }
      let result: VideoScore;
      const reuse = await reusable(job.previous, job, stat, engine);
      if (reuse === "keep") {
        // Flagged by this run's threshold (--flag-cer may differ from the earlier run's).
        result = { ...job.previous!, flagged: job.previous!.cer! > options.flagCer };
        counts.kept++;
        reused++;
      } else {
        const changed = reuse === "scoring changed";
        const scoring = await scoreVideo(
          job,
          source,
          mode,
          options,
          changed ? job.previous : undefined,
        );
        result = scoring.score;
        if (changed) rescored++;
        if (scoring.fromStored) recomputed++;
        if (result.problem !== null) {
          counts.failed++;
          progress.log(`${job.key}: ${result.problem}`);
        } else counts.scored++;
      }
      if (result.flagged) counts.flagged++;
      results[i] = result;
      done++;
      progress.update({ done, counts });
      if (Date.now() - lastWrite > 10_000) {
        lastWrite = Date.now();
        await checkpoint();
      }
    });
    await checkpoint();
    progress.stop();
    scoreFiles.push(scorePathName);
    all.push(...(results as VideoScore[]));
  }
  const summary = summarize(all, {
    dataset_dir: datasetDir,
    mode,
    source,
    flag_cer: options.flagCer,
    score_files: scoreFiles,
    reused,
    rescored,
    recomputed,
  });
  return { summary, scores: all };
}

/** One line per fact, for people. */
export function formatSummary(summary: ScoreSummary): string {
  const pct = (x: number | null) => x === null ? "n/a" : `${(x * 100).toFixed(2)}%`;
  const out = [
    `${summary.dataset_dir} (${summary.mode}, ${summary.source} videos): ${summary.samples} ` +
    `scored (${summary.reused} kept from an earlier read)`,
    ...(summary.rescored
      ? [
        `  re-scored: scoring changed: ${summary.rescored}` +
        (summary.recomputed ? ` (${summary.recomputed} from their stored reads, without OCR)` : ""),
      ]
      : []),
    `  CER ${pct(summary.cer)}, exact lines ${pct(summary.exact_line_accuracy)}, ` +
    `answers ${pct(summary.answer_accuracy)}`,
    `  flagged (CER > ${pct(summary.flag_cer)}): ${summary.flagged.length}` +
    (summary.flagged.length > 0 ? ` — ${summary.flagged.slice(0, 20).join(", ")}` : ""),
  ];
  for (const p of summary.problems.slice(0, 20)) out.push(`  ${p.key}: ${p.problem}`);
  for (const f of summary.score_files) out.push(`  scores: ${f}`);
  return out.join("\n");
}
