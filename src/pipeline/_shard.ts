import { join } from "node:path";
import type { DatasetSpec, Sample, SampleItem } from "../datasets/mod.ts";
import {
  datasetOutputDir,
  type ManifestMode,
  manifestPath,
  splitOutputName,
  statsPath,
  type VideoKind,
  videoPath,
} from "../paths/mod.ts";
import type { ManifestLine } from "./_manifest_line.ts";
import { countProblem, newShardStats, reasonKey, type ShardStats } from "./_shard_stats.ts";
import {
  lockShard,
  removeStaleFileTemps,
  removeStaleTemps,
  type ShardLock,
} from "./_shard_lock.ts";
import { dropEmptyPromptPart, fillTemplate, type TemplateValues } from "./_templates.ts";
import { AtomicTextWriter, writeFileAtomic } from "../atomic_write/mod.ts";
import { createProgress } from "../progress/mod.ts";
import { firstLine } from "../errors/mod.ts";
import { uncoveredCharacter } from "../paint/mod.ts";
import { isDiskFull, isKeepableMp4, mp4Fingerprint } from "../encode/mod.ts";

/** What a renderer decided for one sample: the manifest fields and the template values. */
export interface PlannedSample<P = unknown> {
  /** Manifest fields besides `video_path`, `prompt`, `dataset` and `index`. */
  fields: Omit<ManifestLine, "video_path" | "prompt" | "dataset" | "index">;
  /** Values for the manifest prompt templates. */
  values: TemplateValues;
  /**
   * What the video shows, hashed (`videoFingerprint`): embedded in the MP4 and written on the
   * manifest line; resume keeps an existing video only when its embedded one is equal.
   */
  fingerprint: string;
  /** Renderer-private state handed back to `render`. */
  state: P;
}

/**
 * Turns samples into videos. Silent and narrated videos differ only here; sharding, ordering,
 * resume, manifests and stats are shared. `plan` must be deterministic: on resume it runs again
 * for videos that already exist, to rebuild their manifest lines without re-encoding.
 */
export interface SampleRenderer<P = unknown> {
  kind: VideoKind;
  plan(sample: Sample): Promise<PlannedSample<P> | { skip: string }>;
  render(planned: PlannedSample<P>, outPath: string): Promise<{ bytes: number }>;
}

/** Which rows, where, and how many at once. */
export interface ShardOptions {
  baseDir: string;
  /**
   * The split the rows are of: names the output (`BASE/DATASET-SPLIT`; the key alone for train).
   * @default {"train"}
   */
  split?: string;
  /** First row index of the shard (also names the manifests). */
  start: number;
  /** Rows in the shard; undefined = to the end of the data. */
  count?: number;
  /** Known total rows from `start` on, for the progress ETA when `count` is not given. */
  expectedRows?: number;
  modes: ManifestMode[];
  /** Videos in flight at once. */
  workers: number;
  /** Manifest templates keyed by mode (already chosen for silent or narrated). */
  templates: Record<ManifestMode, string>;
  /** Show a progress bar (TTY) or periodic lines. */
  progress: boolean;
  /**
   * Where to report per-sample problems.
   * @default {console.error}
   */
  log?: (line: string) => void;
  /**
   * Rows whose prompt and answer together have more characters than this are skipped before
   * layout (`--max-text-chars`): a 50 MB word must not reach the layout.
   */
  maxTextChars: number;
  /**
   * Aborted on SIGTERM / SIGINT: the shard stops taking rows, lets the ones in flight settle
   * (their children are killed), removes its own temp files, keeps the manifests as they were,
   * releases its lock and rejects with {@link InterruptedError}.
   */
  signal?: AbortSignal;
}

/** A shard run stopped by its `signal` (SIGTERM / SIGINT). */
export class InterruptedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason ?? "interrupted"));
    this.name = "InterruptedError";
  }
}

/** Characters (code points) of `text`, counting no further than `cap + 1`. */
function charactersUpTo(text: string, cap: number): number {
  if (text.length <= cap) return [...text].length;
  let n = 0;
  for (const _ of text) if (++n > cap) break;
  return n;
}

type Outcome =
  | {
    index: number;
    line: Omit<ManifestLine, "prompt">;
    values: TemplateValues;
    reused: boolean;
    /** An earlier run's complete video was replaced: it shows other text or options. */
    rerendered: boolean;
    bytes: number;
  }
  | { index: number; skip: string }
  | { index: number; failed: string }
  | { index: number; fatal: Error };

async function existingSize(path: string): Promise<number> {
  try {
    const stat = await Deno.stat(path);
    return stat.isFile ? stat.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Refuse a re-run that would rewrite this shard's manifests without lines of rows past its end
 * whose videos exist (`--num-samples 0` or `4` after `8`): the manifests are named by START and
 * rewritten whole, so those rows would silently leave the dataset.
 */
async function refuseShrinking(
  shard: { baseDir: string; name: string; kind: VideoKind; start: number; end: number },
): Promise<void> {
  const { baseDir, name, kind, start, end } = shard;
  for (const mode of ["inference", "rendering"] as const) {
    const path = manifestPath(baseDir, name, { kind, mode, start });
    const text = await Deno.readTextFile(path).catch(() => "");
    let last = -1;
    for (const line of text.split("\n")) {
      let index = -1;
      try {
        const parsed = JSON.parse(line);
        if (Number.isSafeInteger(parsed?.index)) index = parsed.index;
      } catch {
        continue; // not a line of ours; verify reports it
      }
      if (index < end || index <= last) continue;
      if (await existingSize(videoPath(baseDir, name, index, { kind })) > 0) last = index;
    }
    if (last >= end) {
      throw new Error(
        `${path} lists rows up to ${last} whose videos exist, but this run ends before row ` +
          `${end}: run with --num-samples ${last - start + 1} (or more) to keep them, or move ` +
          `that manifest aside to start the shard over`,
      );
    }
  }
}

/** How `manifestLine` fills the prompt. */
export interface ManifestLineOptions {
  kind: VideoKind;
  mode: ManifestMode;
  /** The mode's prompt template. */
  template: string;
}

/**
 * The manifest line of a rendered sample (what `renderShard` writes and `preview` prints): the
 * filled prompt template, with `video_path` and `prompt` first as the training pipelines' files
 * have them.
 */
export function manifestLine(
  line: Omit<ManifestLine, "prompt">,
  values: TemplateValues,
  options: ManifestLineOptions,
): ManifestLine {
  const template = options.kind === "narrated" && options.mode === "inference" && !values.prompt
    ? dropEmptyPromptPart(options.template)
    : options.template;
  const prompt = fillTemplate(template, values);
  return { video_path: line.video_path, prompt, ...line } as ManifestLine;
}

/**
 * Render one shard `[start, start + count)`: videos in parallel, manifest lines in row order,
 * finished videos kept (resume), manifests and stats written atomically at the end.
 */
export async function renderShard(
  spec: DatasetSpec,
  items: AsyncIterable<SampleItem>,
  options: ShardOptions & { renderer: SampleRenderer },
): Promise<ShardStats> {
  const kind = options.renderer.kind;
  const name = splitOutputName(spec.key, options.split);
  const outDir = datasetOutputDir(options.baseDir, name, { kind });
  const videoDir = join(outDir, "video");
  await Deno.mkdir(videoDir, { recursive: true });
  const end = options.count === undefined ? Number.MAX_SAFE_INTEGER : options.start + options.count;
  const lock = await lockShard(outDir, `${name}_${kind}_${options.start}`);
  try {
    return await renderLockedShard(spec, items, options, {
      videoDir,
      end,
      takenFrom: lock.takenFrom,
    });
  } finally {
    await lock.release();
  }
}

async function renderLockedShard(
  spec: DatasetSpec,
  items: AsyncIterable<SampleItem>,
  options: ShardOptions & { renderer: SampleRenderer },
  where: { videoDir: string; end: number; takenFrom: ShardLock["takenFrom"] },
): Promise<ShardStats> {
  const { renderer } = options;
  const progress = createProgress({ mode: options.progress ? "auto" : "none" });
  // Problems print through the progress display, so they land above the bar, not across it.
  const log = options.log ?? ((line: string) => progress.log(line));
  const kind = renderer.kind;
  const { videoDir, end, takenFrom } = where;
  // The split's output name: what every file of this shard is named after.
  const name = splitOutputName(spec.key, options.split);
  await removeStaleTemps(videoDir, { dataset: name, start: options.start, end, takenFrom });
  await removeStaleFileTemps([
    ...(["inference", "rendering"] as const).map((mode) =>
      manifestPath(options.baseDir, name, { kind, mode, start: options.start })
    ),
    statsPath(options.baseDir, name, { kind, start: options.start }),
  ], { takenFrom });

  await refuseShrinking({ baseDir: options.baseDir, name, kind, start: options.start, end });

  const writers = options.modes.map((mode) => ({
    mode,
    writer: new AtomicTextWriter(
      manifestPath(options.baseDir, name, { kind, mode, start: options.start }),
    ),
  }));
  for (const { writer } of writers) await writer.open();

  const stats = newShardStats(
    { dataset: name, kind, start: options.start, requested: options.count ?? null },
    writers.map(({ writer }) => writer.path),
  );
  const shownPerReason = new Map<string, number>();
  const note = (index: number, what: string, reason: string) => {
    const key = `${what}:${reasonKey(reason)}`;
    const shown = shownPerReason.get(key) ?? 0;
    shownPerReason.set(key, shown + 1);
    if (shown < 5) log(`${name} row ${index}: ${what}: ${reason}`);
    else if (shown === 5) log(`${name}: further '${reasonKey(reason)}' ${what} rows not shown`);
  };

  progress.start({
    label: `${name}${kind === "narrated" ? " (narrated)" : ""} rows ${options.start}..${
      options.count === undefined ? "end" : options.start + options.count
    }`,
    unit: "rows",
    total: options.count ?? options.expectedRows,
  });
  const started = performance.now();

  async function process(item: SampleItem): Promise<Outcome> {
    if ("skip" in item) return { index: item.index, skip: item.skip };
    const cap = options.maxTextChars;
    const chars = charactersUpTo(item.sample.prompt, cap) +
      charactersUpTo(item.sample.response, cap);
    if (chars > cap) {
      const size = item.sample.prompt.length + item.sample.response.length;
      return {
        index: item.index,
        skip: `text too long: about ${size} characters > --max-text-chars ${cap}`,
      };
    }
    const glyph = uncoveredCharacter(item.sample.prompt) ??
      uncoveredCharacter(item.sample.response);
    if (glyph) return { index: item.index, skip: glyph };
    let planned: PlannedSample | { skip: string };
    try {
      planned = await renderer.plan(item.sample);
    } catch (error) {
      return { index: item.index, failed: firstLine(error) };
    }
    if ("skip" in planned) return { index: item.index, skip: planned.skip };
    const path = videoPath(options.baseDir, name, item.index, { kind });
    let bytes = await existingSize(path);
    // A video an earlier run left is kept only if it is a whole MP4 made from this row's text
    // with these options: its embedded fingerprint is this one (cheap: box headers). One
    // without a fingerprint (an older release) is made again.
    const complete = bytes > 0 && await isKeepableMp4(path);
    const reused = complete && await mp4Fingerprint(path) === planned.fingerprint;
    const rerendered = complete && !reused;
    if (!reused) {
      try {
        bytes = (await renderer.render(planned, path)).bytes;
      } catch (error) {
        // A full disk stops the run (thrown by `emit`, so no promise rejects unwatched).
        if (isDiskFull(error)) return { index: item.index, fatal: error as Error };
        return { index: item.index, failed: firstLine(error) };
      }
    }
    const line: Omit<ManifestLine, "prompt"> = {
      video_path: path,
      dataset: spec.key,
      index: item.index,
      ...planned.fields,
      fingerprint: planned.fingerprint,
    };
    return { index: item.index, line, values: planned.values, reused, rerendered, bytes };
  }

  async function emit(outcome: Outcome): Promise<void> {
    if ("fatal" in outcome) throw outcome.fatal;
    stats.rows++;
    if ("skip" in outcome) {
      countProblem(stats, "skipped", { index: outcome.index, reason: outcome.skip });
      note(outcome.index, "skipped", outcome.skip);
    } else if ("failed" in outcome) {
      countProblem(stats, "failed", { index: outcome.index, reason: outcome.failed });
      note(outcome.index, "failed", outcome.failed);
    } else {
      if (outcome.reused) stats.reused++;
      else stats.rendered++;
      if (outcome.rerendered) stats.rerendered++;
      stats.bytes += outcome.bytes;
      for (const { mode, writer } of writers) {
        const line = manifestLine(outcome.line, outcome.values, {
          kind,
          mode,
          template: options.templates[mode],
        });
        await writer.write(JSON.stringify(line) + "\n");
      }
    }
    progress.update({
      done: stats.rows,
      counts: { ok: stats.rendered + stats.reused, skipped: stats.skipped, failed: stats.failed },
    });
  }

  // A bounded window of in-flight samples; outcomes are emitted strictly in row order.
  const window: Promise<Outcome>[] = [];
  const workers = Math.max(1, options.workers);
  let completed = false;
  const signal = options.signal;
  try {
    for await (const item of items) {
      if (signal?.aborted) break;
      window.push(process(item));
      if (window.length >= workers) await emit(await window.shift()!);
    }
    if (signal?.aborted) throw new InterruptedError(signal.reason);
    while (window.length > 0) await emit(await window.shift()!);
    if (signal?.aborted) throw new InterruptedError(signal.reason);
    completed = true;
  } finally {
    if (!completed) {
      await Promise.allSettled(window);
      for (const { writer } of writers) await writer.abort();
      // What this run's encoders had in flight (their children were killed before writing).
      await removeStaleTemps(videoDir, { dataset: name, start: options.start, end, own: true });
    }
    progress.stop();
  }
  for (const { writer } of writers) await writer.commit();

  stats.seconds = Number(((performance.now() - started) / 1000).toFixed(3));
  const made = stats.rendered + stats.reused;
  stats.videos_per_second = stats.seconds > 0 ? Number((made / stats.seconds).toFixed(3)) : 0;
  await writeFileAtomic(
    statsPath(options.baseDir, name, { kind, start: options.start }),
    JSON.stringify(stats, null, 2) + "\n",
  );
  return stats;
}
