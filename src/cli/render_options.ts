import { type CommandUnknownOpts, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { DATASET_KEYS, type DatasetSpec, getDataset, listDatasets } from "../datasets/mod.ts";
import { loadConfig, type VideowordConfig } from "../config/mod.ts";
import {
  defaultRenderThreads,
  formatStats,
  type ManifestMode,
  RenderPool,
  runRender,
  type SampleRenderer,
  type VideoKind,
} from "../pipeline/mod.ts";
import { type EncodeOptions, type VideoCodec, X264_PRESETS } from "../encode/mod.ts";
import { templatesFor } from "./templates.ts";
import { parsePreset, presetHelp, type PresetName } from "./presets.ts";

/** `--preset NAME`: a model family's size, length, rate and pace (flags override it). */
export function addPresetOption<C extends CommandUnknownOpts>(command: C): C {
  command.option(
    "--preset <name>",
    `model preset (default seed): ${presetHelp()}`,
    parsePreset,
  );
  return command;
}

/** The preset named on the command line, or `seed`. */
export type PresetCliOptions = { preset?: PresetName };

/** Options every rendering command shares (`render`, `audio-render`). */
export type ShardCliOptions = {
  mode: string;
  baseDir?: string;
  dataDir?: string;
  input?: string[];
  startIdx: number;
  numSamples?: number;
  numWorkers?: number;
  renderThreads?: number;
  source: string;
  config?: string;
  ffmpeg?: string;
  progress: boolean;
};

/** A non-negative integer flag value. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError("expected a whole number ≥ 0");
  }
  return n;
}

/** A positive integer flag value. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return n;
}

/** A positive number flag value. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number > 0");
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Add the shared shard options to a rendering command. */
export function addShardOptions<C extends CommandUnknownOpts>(command: C): C {
  command
    .addOption(
      new Option("--mode <mode>", "manifests to write").choices(["inference", "rendering", "both"])
        .default("both"),
    )
    .option("--base-dir <dir>", "output root (default ./output, or base_dir in videoword.jsonc)")
    .option("--data-dir <dir>", "where `videoword download` put the datasets (default ./data)")
    .option("--input <file>", "render your own file of the dataset's shape (repeatable)", collect)
    .option("--start-idx <n>", "first row of the train split to render", nonNegativeInt, 0)
    .option(
      "--num-samples <n>",
      "rows to render from --start-idx (default: to the end)",
      nonNegativeInt,
    )
    .option(
      "--num-workers <n>",
      "videos in flight at once (default SLURM_CPUS_PER_TASK or the CPU count)",
      positiveInt,
    )
    .option(
      "--render-threads <n>",
      "threads painting frames (default: none up to 4 workers, then one per 4 workers)",
      nonNegativeInt,
    )
    .addOption(
      new Option(
        "--source <source>",
        "hub: downloaded files; samples: rows embedded in the program",
      )
        .choices(["hub", "samples"]).default("hub"),
    )
    .option("--config <file>", "settings file (default ./videoword.jsonc when present)")
    .option("--ffmpeg <path>", "ffmpeg binary (default $VIDEOWORD_FFMPEG or ffmpeg on PATH)")
    .option("--no-progress", "no progress bar or periodic progress lines");
  return command;
}

/** Everything the shared options resolve to. */
export interface ResolvedShardOptions {
  specs: DatasetSpec[];
  modes: ManifestMode[];
  baseDir: string;
  dataDir: string;
  inputs: string[];
  start: number;
  count?: number;
  workers: number;
  /** Worker threads painting and encoding (0: on the main thread). */
  renderThreads: number;
  source: "hub" | "samples";
  ffmpegBin: string;
  progress: boolean;
  config: VideowordConfig;
}

/** Workers: the flag, else Slurm's CPU allocation, else the machine's CPU count. */
export function defaultWorkers(): number {
  const slurm = Number(Deno.env.get("SLURM_CPUS_PER_TASK"));
  if (Number.isInteger(slurm) && slurm > 0) return slurm;
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** Resolve the shared options against `videoword.jsonc` and the environment. */
export async function resolveShardOptions(
  dataset: string,
  options: ShardCliOptions,
): Promise<ResolvedShardOptions> {
  const config = await loadConfig(options.config);
  const specs = dataset === "all" ? listDatasets() : [getDataset(dataset)];
  if (dataset === "all" && (options.input?.length ?? 0) > 0) {
    throw new Error("--input needs one dataset, not 'all'");
  }
  const modes: ManifestMode[] = options.mode === "both"
    ? ["inference", "rendering"]
    : [options.mode as ManifestMode];
  const workers = options.numWorkers ?? defaultWorkers();
  return {
    specs,
    modes,
    baseDir: options.baseDir ?? config.base_dir,
    dataDir: options.dataDir ?? config.data_dir,
    inputs: options.input ?? [],
    start: options.startIdx,
    count: options.numSamples,
    workers,
    renderThreads: options.renderThreads ?? defaultRenderThreads(workers),
    source: options.source === "samples" ? "samples" : "hub",
    ffmpegBin: options.ffmpeg ?? Deno.env.get("VIDEOWORD_FFMPEG") ?? "ffmpeg",
    progress: options.progress,
    config,
  };
}

/** Dataset argument help text. */
export const DATASET_ARGUMENT_HELP = `dataset: ${DATASET_KEYS.join(", ")}, or 'all'`;

/** Encoder flags every rendering command shares. */
export type EncodeCliOptions = {
  codec?: string;
  crf?: number;
  x264Preset?: string;
};

/** Add `--codec`, `--crf`, `--x264-preset`. */
export function addEncodeOptions<C extends CommandUnknownOpts>(command: C): C {
  command
    .addOption(new Option("--codec <codec>", "h264 (default) or mpeg4").choices(["h264", "mpeg4"]))
    .option("--crf <n>", "x264 CRF (default 23); quantiser scale for mpeg4 (4)", nonNegativeInt)
    .addOption(
      new Option("--x264-preset <name>", "x264 preset (default veryfast)").choices(X264_PRESETS),
    );
  return command;
}

/** Encoder settings: flags, else `videoword.jsonc`'s `render` section, else the defaults. */
export function encodeSettings(
  options: EncodeCliOptions,
  shared: ResolvedShardOptions,
): Omit<EncodeOptions, "width" | "height" | "pixelFormat" | "fps"> {
  const render = shared.config.render;
  return {
    codec: (options.codec ?? render.codec) as VideoCodec,
    crf: options.crf ?? render.crf ?? undefined,
    preset: options.x264Preset ?? render.preset,
    ffmpegBin: shared.ffmpegBin,
  };
}

/**
 * Render every selected dataset with the renderer `makeRenderer` builds (handing it the thread
 * pool when threads are used), printing each summary.
 */
export async function renderEachDataset(
  shared: ResolvedShardOptions,
  kind: VideoKind,
  makeRenderer: (spec: DatasetSpec, pool: RenderPool | undefined) => SampleRenderer,
): Promise<void> {
  const pool = shared.renderThreads > 0 ? new RenderPool(shared.renderThreads) : undefined;
  try {
    for (const spec of shared.specs) {
      const stats = await runRender(spec, makeRenderer(spec, pool), {
        ...shared,
        templates: templatesFor(spec, shared.config, kind),
      });
      console.log(formatStats(stats));
    }
  } finally {
    pool?.close();
  }
}
