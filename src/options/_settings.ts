/** The resolved option values, shaped as the typed settings each layer takes. */
import { join, resolve } from "node:path";
import {
  type DatasetSpec,
  getDataset,
  hasSamples,
  hasSplit,
  listDatasets,
} from "../datasets/mod.ts";
import type { EncoderSettings } from "../encode/mod.ts";
import { layoutProblem, scaleToHeight } from "../layout/mod.ts";
import { UsageError } from "../errors/mod.ts";
import {
  type ManifestMode,
  NARRATED_DEFAULTS,
  type NarratedSettings,
  type SilentSettings,
  type SourceOptions,
} from "../pipeline/mod.ts";
import type { SubmitSettings } from "../slurm/mod.ts";
import type { ScoreOptions } from "../score/mod.ts";
import type { VerifyOptions } from "../verify/mod.ts";
import { defaultVoice } from "../tts/mod.ts";
import type { OptionValues, ScoreOptionValues, VerifyOptionValues } from "./_table.ts";
import type { OptionOrigin } from "./_resolve.ts";

/** Which rows of which datasets, where, and how many at once (every field set). */
export interface ShardSettings extends Required<SourceOptions> {
  specs: DatasetSpec[];
  modes: ManifestMode[];
  baseDir: string;
  start: number;
  /** Rows from `start`; `undefined`: to the end of the data. */
  count: number | undefined;
  workers: number;
  /** Worker threads painting and encoding (0: on the main thread). */
  renderThreads: number;
  progress: boolean;
  /** Rows with more characters (prompt + answer) are skipped before layout. */
  maxTextChars: number;
}

/** Everything `videoword render` needs, resolved once. */
export interface RenderSettings {
  shard: ShardSettings;
  silent: SilentSettings;
}

/** Everything `videoword audio-render` needs, resolved once. */
export interface AudioRenderSettings {
  shard: ShardSettings;
  narrated: NarratedSettings;
}

/** The shard part of the values, for `dataset` (a key or `all`). */
export function shardSettings(dataset: string, values: OptionValues): ShardSettings {
  // `all`: every dataset that has the split (and, for `--source samples`, embedded samples).
  const specs = dataset === "all"
    ? listDatasets().filter((spec) =>
      hasSplit(spec, values.split) && (values.source !== "samples" || hasSamples(spec))
    )
    : [getDataset(dataset)];
  if (dataset === "all" && values.input.length > 0) {
    throw new Error("--input needs one dataset, not 'all'");
  }
  return {
    specs,
    modes: values.mode === "both" ? ["inference", "rendering"] : [values.mode],
    baseDir: values.baseDir,
    dataDir: values.dataDir,
    inputs: values.input,
    source: values.source,
    split: values.split,
    start: values.startIdx,
    count: values.numSamples,
    workers: values.numWorkers,
    renderThreads: values.renderThreads,
    progress: values.progress,
    maxTextChars: values.maxTextChars,
  };
}

/** The encoder part of the values. */
export function encoderSettings(values: OptionValues): EncoderSettings {
  return {
    codec: values.codec,
    encoder: values.encoder,
    qp: values.qp,
    crf: values.crf,
    preset: values.x264Preset,
    ffmpegBin: values.ffmpeg,
  };
}

/** `render`'s settings from its resolved values. */
export function renderSettings(
  dataset: string,
  values: OptionValues,
  origins: Partial<Record<keyof OptionValues, OptionOrigin>> = {},
): RenderSettings {
  // Values the user set (any layer but the built-in defaults) must agree with each other.
  const set = (key: keyof OptionValues) => (origins[key] ?? "default") !== "default";
  if (values.pace === "one" && (set("holdFrames") || set("maxUnitsPerFrame"))) {
    throw new Error(
      "--hold-frames and --max-units-per-frame shape the fitted reveal: add --pace fit " +
        `(the ${values.preset} preset reveals one unit per frame)`,
    );
  }
  if (set("holdFrames") && values.holdFrames >= values.frames) {
    throw new Error(
      `--hold-frames ${values.holdFrames} must be less than --frames ${values.frames}`,
    );
  }
  const layout = {
    width: values.width,
    height: values.height,
    margin: values.margin,
    fontSize: values.fontSize,
    lineHeight: values.lineHeight,
  };
  // An impossible geometry fails here, once, instead of in (or forever in) every row.
  const problem = layoutProblem(layout);
  if (problem) throw new UsageError(problem);
  return {
    shard: shardSettings(dataset, values),
    silent: {
      fps: values.fps,
      layout: {
        width: values.width,
        height: values.height,
        margin: values.margin,
        fontSize: values.fontSize,
        lineHeight: values.lineHeight,
        frames: values.frames,
        longPrompt: values.longPrompt,
        promptPageFrames: values.promptPageFrames,
        pace: values.pace,
        holdFrames: values.holdFrames,
        maxUnitsPerFrame: values.maxUnitsPerFrame,
      },
      paint: { background: values.background, foreground: values.foreground },
      style: {
        style: values.style,
        seed: values.styleSeed,
        fontDir: values.fontDir === undefined ? undefined : resolve(values.fontDir),
      },
      encode: encoderSettings(values),
    },
  };
}

/** `audio-render`'s settings from its resolved values. */
export function audioRenderSettings(dataset: string, values: OptionValues): AudioRenderSettings {
  const engine = values.tts;
  return {
    shard: shardSettings(dataset, values),
    narrated: {
      tts: {
        engine,
        voices: {
          en: values.voice ?? defaultVoice(engine, "en"),
          zh: values.voice ?? defaultVoice(engine, "zh"),
        },
        rate: values.rate,
        cacheDir: resolve(values.ttsCache),
        espeakBin: values.espeak,
        voicesDir: join(resolve(values.dataDir), "voices"),
        attempts: values.ttsAttempts,
      },
      maxDuration: values.maxDuration,
      fps: values.fps,
      width: values.width,
      height: values.height,
      margin: values.margin,
      fontSize: values.fontSize,
      // The smallest prompt font scales with the height, as the other sizes do.
      minFontSize: scaleToHeight(NARRATED_DEFAULTS.minFontSize, values.height),
      frameStep: values.frameStep,
      fixedDuration: values.duration === undefined ? undefined : {
        seconds: values.duration,
        minSpeed: values.rateRange.min,
        maxSpeed: values.rateRange.max,
      },
      style: {
        style: values.style,
        seed: values.styleSeed,
        fontDir: values.fontDir === undefined ? undefined : resolve(values.fontDir),
      },
      encode: encoderSettings(values),
    },
  };
}

/** `submit`'s resolved values with their paths made absolute against `cwd`. */
export function submitSettings(values: SubmitSettings, cwd: string): SubmitSettings {
  return {
    ...values,
    baseDir: resolve(cwd, values.baseDir),
    dataDir: resolve(cwd, values.dataDir),
    logsDir: resolve(cwd, values.logsDir),
    sbatchArgs: [...values.sbatchArgs],
  };
}

/** `verify`'s settings from its values and its actions (`--fix`, `--merge`). */
export function verifySettings(
  values: VerifyOptionValues,
  actions: { fix: boolean; merge: boolean },
): Required<VerifyOptions> {
  return { ...actions, concurrency: values.jobs, ffprobe: values.ffprobe };
}

/** `score`'s settings from its values. */
export function scoreSettings(values: ScoreOptionValues): ScoreOptions {
  return {
    mode: values.mode,
    videos: values.videos ?? null,
    concurrency: values.jobs,
    flagCer: values.flagCer,
    finalFrames: values.finalFrames,
    progress: values.progress ? "auto" : "none",
    tools: {
      ffmpegBin: values.ffmpeg,
      ffprobeBin: values.ffprobe,
      tesseractBin: values.tesseract,
    },
  };
}
