/**
 * Several datasets and modes in one `score` run: folders given as `BASE/DATASET` or as a whole
 * `BASE` (every dataset folder in it), `--mode all` as each manifest kind a folder holds, and the
 * total over every run.
 */
import { basename, join, resolve } from "node:path";
import type { ManifestMode, ScoreSource } from "../paths/mod.ts";
import {
  formatSummary,
  manifestsOf,
  scoreDataset,
  type ScoreOptions,
  type ScoreSummary,
  type VideoScore,
} from "./_score.ts";

/** One dataset folder scored in one mode. */
export interface ScoreRun {
  summary: ScoreSummary;
  scores: VideoScore[];
}

/**
 * What `score --json` prints: the total over every run, and each run's summary. The fields it
 * shares with a run's {@link ScoreSummary} mean the same, over every run.
 */
export interface ScoreTotal extends
  Pick<
    ScoreSummary,
    "exact_line_accuracy" | "answer_accuracy" | "flag_cer" | "problems" | "score_files"
  > {
  /** Videos scored over every run (a video read in both modes counts twice). */
  samples: number;
  /** Edits over reference characters over every run; null when nothing was scored. */
  cer: number | null;
  /** Keys of the videos flagged in any run, each once (each run lists its own). */
  flagged: string[];
  runs: ScoreSummary[];
}

const MODES: readonly ManifestMode[] = ["rendering", "inference"];

async function isFolder(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => null))?.isDirectory ?? false;
}

/**
 * The dataset folders `paths` name: each one that holds manifests, or else (a `BASE`) every
 * folder directly in it that does, in name order. Throws one line for a path that is neither.
 */
export async function datasetFolders(paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const path of paths) {
    const dir = resolve(path);
    if (!(await isFolder(dir))) {
      throw new Error(`${dir} is not a folder: pass a dataset folder that render wrote`);
    }
    if ((await modesOf(dir)).length > 0) {
      folders.push(dir);
      continue;
    }
    const inside: string[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && (await modesOf(join(dir, entry.name))).length > 0) {
        inside.push(join(dir, entry.name));
      }
    }
    if (inside.length === 0) {
      throw new Error(
        `${dir} holds no manifest and no dataset folder: pass a dataset folder that render ` +
          "wrote (BASE/DATASET) or the base folder holding them",
      );
    }
    folders.push(...inside.sort());
  }
  return [...new Set(folders)];
}

/** The manifest kinds `dir` holds. */
async function modesOf(dir: string): Promise<ManifestMode[]> {
  const modes: ManifestMode[] = [];
  for (const mode of MODES) {
    if ((await manifestsOf(dir, mode).catch(() => [])).length > 0) modes.push(mode);
  }
  return modes;
}

/**
 * Score every dataset folder `paths` name (see {@link datasetFolders}) in `options.mode`, or in
 * each mode a folder holds for `"all"`. A video whose score one mode made is not read again for
 * the other (same file, size, mtime and fingerprint).
 */
export async function scoreDatasets(
  paths: readonly string[],
  options: ScoreOptions,
): Promise<{ total: ScoreTotal; runs: ScoreRun[] }> {
  const runs: ScoreRun[] = [];
  for (const dir of await datasetFolders(paths)) {
    const modes = options.mode === "all" ? await modesOf(dir) : [options.mode];
    const known = new Map<string, VideoScore>();
    for (const mode of modes) {
      const run = await scoreDataset(dir, { ...options, mode }, { known });
      for (const score of run.scores) if (score.problem === null) known.set(score.video, score);
      runs.push(run);
    }
  }
  return { total: totalOf(runs, options.flagCer), runs };
}

/** The total over `runs` (pure): sums of edits, characters, lines and answers. */
export function totalOf(
  runs: readonly { summary: ScoreSummary; scores: readonly VideoScore[] }[],
  flagCer: number,
): ScoreTotal {
  const scored = runs.flatMap((r) => r.scores).filter((s) => s.problem === null);
  const sum = (f: (p: VideoScore["pages"][number]) => number) =>
    scored.reduce((n, s) => n + s.pages.reduce((m, p) => m + f(p), 0), 0);
  const chars = sum((p) => p.chars);
  const lines = sum((p) => p.lines);
  const answered = scored.filter((s) => s.answer_correct !== null);
  return {
    samples: scored.length,
    cer: chars === 0 ? null : sum((p) => p.edits) / chars,
    exact_line_accuracy: lines === 0 ? null : sum((p) => p.exact_lines) / lines,
    answer_accuracy: answered.length === 0
      ? null
      : answered.filter((s) => s.answer_correct).length / answered.length,
    flag_cer: flagCer,
    flagged: [...new Set(runs.flatMap((r) => r.summary.flagged))],
    problems: runs.flatMap((r) => r.summary.problems),
    score_files: runs.flatMap((r) => r.summary.score_files),
    runs: runs.map((r) => r.summary),
  };
}

/** A run's name in the report and the text output: `DATASET · mode (source videos)`. */
export function runLabel(summary: Pick<ScoreSummary, "dataset_dir" | "mode" | "source">): string {
  const source: Record<ScoreSource, string> = { own: "own videos", generated: "generated videos" };
  return `${basename(summary.dataset_dir)} · ${summary.mode} (${source[summary.source]})`;
}

/** The text output: each run's lines, then (for several runs) their total. */
export function formatTotal(total: ScoreTotal): string {
  const out = total.runs.map(formatSummary);
  if (total.runs.length > 1) {
    const pct = (x: number | null) => x === null ? "n/a" : `${(x * 100).toFixed(2)}%`;
    out.push(
      `total over ${total.runs.length} runs: ${total.samples} scored, CER ${pct(total.cer)}, ` +
        `exact lines ${pct(total.exact_line_accuracy)}, answers ${pct(total.answer_accuracy)}, ` +
        `flagged ${total.flagged.length}`,
    );
  }
  return out.join("\n");
}
