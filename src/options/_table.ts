/**
 * The one table of the commands' options: flag, help, default, which commands offer it, and the
 * `videoword.jsonc` key and environment variable that may set it, and the rule its value obeys
 * (type, range, choices). `--help`, the README option tables, `videoword.jsonc`'s schema and
 * defaults, `videoword.example.jsonc` and `--print-config` are all built from it; a flag, its
 * environment variable and its config key are checked by the same rule (`_value.ts`). The rendering
 * commands share {@linkcode OPTIONS}; `submit`, `download`, `export`, `verify` and `score` have
 * their own tables ({@linkcode SUBMIT_OPTIONS}, ...).
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import {
  DEFAULT_QP,
  defaultCrf,
  ENCODER_DEFAULTS,
  MAX_QP,
  MIN_QP,
  type VideoCodec,
  type VideoEncoderName,
  X264_PRESETS,
} from "../encode/mod.ts";
import {
  defaultHoldFrames,
  LAYOUT_DEFAULTS,
  type LongPromptPolicy,
  type RevealPace,
  scaledLayout,
} from "../layout/mod.ts";
import { PAINT_DEFAULTS } from "../paint/mod.ts";
import { STYLE_DEFAULTS, type StyleName } from "../style/mod.ts";
import { DEFAULT_SPLIT, splitNameProblem } from "../paths/mod.ts";
import {
  defaultRenderThreads,
  type ManifestMode,
  NARRATED_DEFAULTS,
  SILENT_DEFAULTS,
} from "../pipeline/mod.ts";
import { scoreDefaults, type ScoreMode } from "../score/mod.ts";
import { VERIFY_DEFAULTS } from "../verify/mod.ts";
import { type SubmitSettings, TIME_PATTERN } from "../slurm/mod.ts";
import { SYNTHESIZE_DEFAULTS, type TtsEngine } from "../tts/mod.ts";
import { parsePreset, presetHelp, type PresetName } from "./_presets.ts";

/** The rendering commands, whose options share {@linkcode OPTIONS}. */
export type CommandName = "render" | "audio-render";

/** Every command with options in the table: the rendering commands and the others. */
export type TableCommand = CommandName | "submit" | "download" | "export" | "verify" | "score";

/** Each command's resolved option values. */
export interface TableValues {
  render: OptionValues;
  "audio-render": OptionValues;
  submit: SubmitSettings;
  download: DownloadOptionValues;
  export: ExportOptionValues;
  verify: VerifyOptionValues;
  score: ScoreOptionValues;
}

/**
 * One command per table, in the order the settings file's schema, `videoword.example.jsonc` and
 * the README list their keys (`audio-render` shares `render`'s table).
 */
export const TABLE_COMMANDS = [
  "render",
  "submit",
  "download",
  "export",
  "verify",
  "score",
] as const;

/** Every option value of the rendering commands, resolved (flag keys in camelCase). */
export interface OptionValues {
  mode: "inference" | "rendering" | "both";
  baseDir: string;
  dataDir: string;
  input: string[];
  /** The dataset split read (`train`: the seed's output names; others: `DATASET-SPLIT`). */
  split: string;
  startIdx: number;
  /** Rows from `startIdx`; `undefined`: to the end of the data. */
  numSamples: number | undefined;
  numWorkers: number;
  renderThreads: number;
  source: "hub" | "samples";
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  ffmpeg: string;
  progress: boolean;
  /** Rows whose prompt and answer together have more characters are skipped before layout. */
  maxTextChars: number;
  codec: VideoCodec;
  encoder: VideoEncoderName;
  qp: number;
  crf: number;
  x264Preset: string;
  /** The model preset laid under the other values. */
  preset: PresetName;
  /** Narrated frame counts are `frameStep·n + 1` (set by presets; no flag). */
  frameStep: number;
  longPrompt: LongPromptPolicy;
  promptPageFrames: number;
  pace: RevealPace;
  holdFrames: number;
  maxUnitsPerFrame: number;
  fontSize: number;
  lineHeight: number;
  margin: number;
  frames: number;
  fps: number;
  width: number;
  height: number;
  background: string;
  foreground: string;
  /** `seed`: the seed's one look; `varied`: a seeded look per row (issue 19). */
  style: StyleName;
  styleSeed: number;
  /** Extra fonts for `--style varied` (`undefined`: the bundled ones only). */
  fontDir: string | undefined;
  tts: TtsEngine;
  /** `undefined`: each language's default voice of the engine. */
  voice: string | undefined;
  rate: number;
  maxDuration: number;
  /** `undefined`: each video as long as its narration. */
  duration: number | undefined;
  rateRange: SpeedRange;
  ttsCache: string;
  ttsAttempts: number;
  espeak: string;
}

/** Every option value of `download`, resolved (flag keys in camelCase). */
export interface DownloadOptionValues {
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  dataDir: string;
  split: string;
  /** `undefined`: the Hub's default branch (`main`). */
  revision: string | undefined;
  concurrency: number;
}

/** Every option value of `export`, resolved (flag keys in camelCase). */
export interface ExportOptionValues {
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  /** The manifest exported. */
  mode: ManifestMode;
  /** `undefined`: `DIR/export/FORMAT_MODE`. */
  out: string | undefined;
  /** WebDataset: bytes per tar shard. */
  shardSize: number;
  /** WebDataset: samples per tar shard; `undefined`: no limit. */
  shardSamples: number | undefined;
}

/** Every option value of `verify`, resolved (flag keys in camelCase). */
export interface VerifyOptionValues {
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  /** Parallel ffprobe processes. */
  jobs: number;
  ffprobe: string;
}

/** Every option value of `score`, resolved (flag keys in camelCase). */
export interface ScoreOptionValues {
  /** The settings file given with `--config` (`undefined`: `./videoword.jsonc` when present). */
  config: string | undefined;
  mode: ScoreMode;
  /** Generated videos to score; `undefined`: the dataset's own videos. */
  videos: string | undefined;
  /** Videos scored at once. */
  jobs: number;
  flagCer: number;
  /** Generated videos: final frames read (the best read counts). */
  finalFrames: number;
  progress: boolean;
  /** HTML report written; `undefined`: none. */
  report: string | undefined;
  ffmpeg: string;
  ffprobe: string;
  tesseract: string;
}

/** What a computed default may look at. */
export interface DefaultContext<V = OptionValues, C extends TableCommand = CommandName> {
  command: C;
  /** The environment (variables set to "" count as unset). */
  env: Record<string, string | undefined>;
  /** Values of the rows above this one, already resolved. */
  values: Partial<V>;
}

/** One option (of {@linkcode OPTIONS} by default; `V`, `C` name another table's values and commands). */
export interface OptionRow<T, V = OptionValues, C extends TableCommand = CommandName> {
  /** commander flags, e.g. `--font-size <px>`. */
  flags: string;
  /** What it does (without the default, which is appended). */
  help: string;
  /**
   * Commands offering the flag. A row resolves for every command of its table: its value feeds
   * settings (an empty list: set by presets or `videoword.jsonc` only).
   */
  commands: readonly C[];
  /** Built-in default, or computed from the context (rows resolve in table order). */
  default: T | ((context: DefaultContext<V, C>) => T);
  /** How a computed or absent default reads in `--help` and the README. */
  defaultText?: string;
  /** A different built-in default on some commands (e.g. narrated videos run at 24 fps). */
  defaultFor?: Partial<Record<C, T>>;
  /**
   * The value's type (default `string`). An `integer` row needs no `parse`: a flag, its
   * environment variable and its config key are all checked against `min`/`max` (`_value.ts`).
   */
  type?: "integer" | "number" | "string" | "string[]";
  /** Smallest allowed value (`integer` and `number` rows). */
  min?: number;
  /**
   * Parses a flag (and environment) value, and checks a config string value; throws
   * `InvalidArgumentError`. Rows of type `integer` leave it out, unless the flag has a syntax
   * of its own (`--shard-size 1GB`): then the file takes a whole number or that text.
   */
  parse?: (raw: string, previous: T) => T;
  choices?: readonly string[];
  /**
   * Largest value accepted from any layer (flag, environment, `videoword.jsonc`, preset or a
   * computed default), checked before any work and shown in `--help`: far beyond what any real
   * model needs, so a typo (`--frames 100000000`) is one line, not hours of work or a crash.
   */
  max?: number;
  /** Dotted `videoword.jsonc` key that sets the value under the environment and the flags. */
  config?: string;
  /** Old config keys still read (with a deprecation line) when `config` is absent. */
  configAliases?: readonly string[];
  /**
   * `null` in `videoword.jsonc` leaves the value to the layers below (always allowed when the
   * default is computed or unset).
   */
  nullable?: boolean;
  /** Environment variable that sets the value under the flags. */
  env?: string;
}

/** A table's type: one row per option value. */
export type OptionTable<V = OptionValues, C extends TableCommand = CommandName> = {
  readonly [K in keyof V]: OptionRow<V[K], V, C>;
};

/** A split name flag value (`test`, `validation`, `train_sft`). */
export function splitName(value: string): string {
  const problem = splitNameProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** A Slurm time limit flag value: `HH:MM:SS`, `MM:SS`, minutes or `D-HH[:MM[:SS]]`. */
export function slurmTime(value: string): string {
  if (!TIME_PATTERN.test(value)) {
    throw new InvalidArgumentError("expected HH:MM:SS or D-HH:MM:SS (Slurm's --time forms)");
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** `1000000000`, `1GB`, `500MiB`: a byte count. */
export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? BYTE_UNITS[match[2].toUpperCase()] : undefined;
  const bytes = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  // Plain bytes are whole, as the settings file's number must be.
  if (!(bytes >= 1) || (unit === 1 && !Number.isInteger(bytes))) {
    throw new InvalidArgumentError("expected bytes, e.g. 1000000000, 1GB or 500MiB");
  }
  return Math.floor(bytes);
}

/** A positive number flag value. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number > 0");
  return n;
}

/** Slowest and fastest speed multipliers. */
export interface SpeedRange {
  min: number;
  max: number;
}

/** `0.85-1.25`: the speed multipliers `--duration` may use. */
export function speedRange(value: string): SpeedRange {
  const match = /^\s*(\d+(?:\.\d+)?)\s*[-–:,]\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(min > 0 && max >= min && max <= 4)) {
    throw new InvalidArgumentError("expected MIN-MAX speed multipliers, e.g. 0.85-1.25");
  }
  return { min, max };
}

/** `+10`, `-20`, `15%`: a speed change in percent above -100. */
export function ratePercent(value: string): number {
  const match = /^([+-]?\d+(?:\.\d+)?)%?$/.exec(value.trim());
  const n = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(n) || n <= -100) {
    throw new InvalidArgumentError("expected a percent above -100, e.g. +10 or -20");
  }
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Workers: Slurm's CPU allocation, else the machine's CPU count. */
function defaultWorkers({ env }: Pick<DefaultContext, "env">): number {
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  if (Number.isInteger(slurm) && slurm > 0) return slurm;
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** Bounds no real model needs to exceed (see {@linkcode OptionRow.max}). */
const MAX_FRAMES = 10_000;
const MAX_FPS = 240;
const MAX_SECONDS = 600;
const MAX_SIDE = 8192;
const MAX_WORKERS = 1024;
const MAX_RENDER_THREADS = 256;

/** Output root and download folder: the same defaults for render and submit. */
const BASE_DIR = "./output";
const DATA_DIR = "./data";

const BOTH: readonly CommandName[] = ["render", "audio-render"];
const SILENT: readonly CommandName[] = ["render"];
const NARRATED: readonly CommandName[] = ["audio-render"];

/**
 * The options of `render` and `audio-render`, in `--help` order. Values resolve in the layer
 * order documented in `_resolve.ts`: defaults < preset < `videoword.jsonc` < environment < flags.
 */
export const OPTIONS: OptionTable = {
  mode: {
    flags: "--mode <mode>",
    help: "manifests to write (the videos are the same)",
    commands: BOTH,
    choices: ["inference", "rendering", "both"],
    default: "both",
  },
  baseDir: {
    flags: "--base-dir <dir>",
    help: "output root",
    commands: BOTH,
    config: "base_dir",
    default: BASE_DIR,
  },
  dataDir: {
    flags: "--data-dir <dir>",
    help: "where `videoword download` put the datasets",
    commands: BOTH,
    config: "data_dir",
    default: DATA_DIR,
  },
  input: {
    flags: "--input <file>",
    help: "render your own file of the dataset's shape (repeatable)",
    commands: BOTH,
    parse: collect,
    default: [],
    defaultText: "",
  },
  split: {
    flags: "--split <name>",
    help: "dataset split to read (test, validation, ...); not train: output in BASE/DATASET-SPLIT",
    commands: BOTH,
    parse: splitName,
    default: DEFAULT_SPLIT,
  },
  startIdx: {
    flags: "--start-idx <n>",
    help: "first row of the split to render",
    commands: BOTH,
    type: "integer",
    min: 0,
    default: 0,
  },
  numSamples: {
    flags: "--num-samples <n>",
    help: "rows to render from --start-idx",
    commands: BOTH,
    type: "integer",
    min: 0,
    default: undefined,
    defaultText: "to the end",
  },
  numWorkers: {
    flags: "--num-workers <n>",
    help: "videos in flight at once",
    commands: BOTH,
    type: "integer",
    min: 1,
    max: MAX_WORKERS,
    default: defaultWorkers,
    defaultText: "SLURM_CPUS_PER_TASK, else the CPU count",
  },
  renderThreads: {
    flags: "--render-threads <n>",
    help: "threads painting and encoding frames, for big nodes",
    commands: BOTH,
    type: "integer",
    min: 0,
    max: MAX_RENDER_THREADS,
    default: ({ values }) => defaultRenderThreads(values.numWorkers!),
    defaultText: "0 up to 4 workers, then one per 4 workers",
  },
  source: {
    flags: "--source <source>",
    help: "hub: downloaded files; samples: rows embedded in the program",
    commands: BOTH,
    choices: ["hub", "samples"],
    default: "hub",
  },
  config: {
    flags: "--config <file>",
    help: "settings file",
    commands: BOTH,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  ffmpeg: {
    flags: "--ffmpeg <path>",
    help: "ffmpeg binary",
    commands: BOTH,
    env: "VIDEOWORD_FFMPEG",
    default: ENCODER_DEFAULTS.ffmpegBin,
    defaultText: "$VIDEOWORD_FFMPEG, else ffmpeg on PATH",
  },
  progress: {
    flags: "--no-progress",
    help: "no progress bar or periodic progress lines",
    commands: BOTH,
    default: true,
    defaultText: "",
  },
  maxTextChars: {
    flags: "--max-text-chars <n>",
    help: "skip rows whose prompt and answer together have more characters (before layout)",
    commands: BOTH,
    type: "integer",
    min: 1,
    max: 10_000_000,
    default: 20_000,
  },
  codec: {
    flags: "--codec <codec>",
    help:
      "h264 (yuv420p, moov first; encoder chosen by --encoder) or mpeg4 (the old OpenCV mp4v look)",
    commands: BOTH,
    choices: ["h264", "mpeg4"],
    config: "render.codec",
    default: ENCODER_DEFAULTS.codec,
  },
  encoder: {
    flags: "--encoder <name>",
    help: "H.264 encoder: native (built in, codes only what changed) or x264 (ffmpeg)",
    commands: BOTH,
    choices: ["native", "x264"],
    config: "render.encoder",
    // Older files say null for "the default".
    nullable: true,
    // Native: silent videos at 0.1x the x264 floor's CPU and 1.12x its bytes at higher PSNR;
    // narrated ones at 1/6.8 of the x264 path's CPU, TTS included (README, Performance).
    default: ENCODER_DEFAULTS.encoder,
  },
  qp: {
    flags: "--qp <n>",
    help: "native encoder quantiser (lower: sharper, bigger)",
    commands: BOTH,
    type: "integer",
    min: MIN_QP,
    max: MAX_QP,
    config: "render.qp",
    default: DEFAULT_QP,
  },
  crf: {
    flags: "--crf <n>",
    help: "x264 CRF; quantiser scale for mpeg4",
    commands: BOTH,
    type: "integer",
    // x264's CRF runs on the QP scale.
    min: 0,
    max: MAX_QP,
    config: "render.crf",
    default: ({ values }) => defaultCrf(values.codec!),
    defaultText: `${defaultCrf("h264")} (mpeg4: ${defaultCrf("mpeg4")})`,
  },
  x264Preset: {
    flags: "--x264-preset <name>",
    help: "x264 preset (tune psnr, deblocking off: crisper text, smaller files)",
    commands: BOTH,
    choices: X264_PRESETS,
    config: "render.x264_preset",
    // render.preset read like --preset (the model preset); the x264 one is named so now.
    configAliases: ["render.preset"],
    default: ENCODER_DEFAULTS.preset,
  },
  preset: {
    flags: "--preset <name>",
    help: `model preset: ${presetHelp()}`,
    commands: BOTH,
    parse: parsePreset,
    default: "seed",
  },
  width: {
    flags: "--width <px>",
    help: "frame width",
    commands: BOTH,
    type: "integer",
    min: 1,
    max: MAX_SIDE,
    default: LAYOUT_DEFAULTS.width,
    defaultText: "the preset's (seed 640)",
  },
  height: {
    flags: "--height <px>",
    help: "frame height",
    commands: BOTH,
    type: "integer",
    min: 1,
    max: MAX_SIDE,
    default: LAYOUT_DEFAULTS.height,
    defaultText: "the preset's (seed 360)",
  },
  frames: {
    flags: "--frames <n>",
    help: "frames per video",
    commands: SILENT,
    type: "integer",
    min: 1,
    max: MAX_FRAMES,
    default: LAYOUT_DEFAULTS.frames,
    defaultText: "the preset's (seed 193)",
  },
  fps: {
    flags: "--fps <n>",
    help: "frames per second",
    commands: BOTH,
    parse: positiveNumber,
    max: MAX_FPS,
    default: SILENT_DEFAULTS.fps,
    defaultFor: { "audio-render": NARRATED_DEFAULTS.fps },
    defaultText: "the preset's (seed 19.3; narrated 24)",
  },
  pace: {
    flags: "--pace <pace>",
    help: "one unit per frame, or fit the answer to the frames",
    commands: SILENT,
    choices: ["one", "fit"],
    default: LAYOUT_DEFAULTS.pace,
    defaultText: "the preset's (seed one)",
  },
  holdFrames: {
    flags: "--hold-frames <n>",
    help: "fit: frames the whole answer stays on screen at the end",
    commands: SILENT,
    type: "integer",
    min: 1,
    max: MAX_FRAMES,
    default: ({ values }) => defaultHoldFrames(values.frames!),
    defaultText: "10% of the frames, at least 1",
  },
  maxUnitsPerFrame: {
    flags: "--max-units-per-frame <n>",
    help: "fit: most words shown by one frame",
    commands: SILENT,
    type: "integer",
    min: 1,
    default: LAYOUT_DEFAULTS.maxUnitsPerFrame,
  },
  frameStep: {
    flags: "--frame-step <n>",
    help: "narrated frame counts are frame-step·n + 1 (set by the preset; not a flag)",
    commands: [],
    default: NARRATED_DEFAULTS.frameStep,
  },
  fontSize: {
    flags: "--font-size <px>",
    help: "font size; the line height scales with it; shrink never goes below " +
      `${LAYOUT_DEFAULTS.minFontSize} (narrated: long prompts shrink)`,
    commands: BOTH,
    type: "integer",
    // Below 6 px no glyph is legible; the bound is the frame's.
    min: 6,
    max: MAX_SIDE,
    config: "render.font_size",
    default: ({ values }) => scaledLayout(values.height!).fontSize,
    defaultText:
      `${LAYOUT_DEFAULTS.fontSize} at ${LAYOUT_DEFAULTS.height} lines, scaled with the height`,
  },
  lineHeight: {
    flags: "--line-height <px>",
    help: "line pitch",
    commands: SILENT,
    type: "integer",
    min: 1,
    max: MAX_SIDE,
    default: ({ values }) => {
      const scaled = scaledLayout(values.height!);
      // A font size given without a pitch keeps the default proportion (28:32).
      return values.fontSize === scaled.fontSize ? scaled.lineHeight : Math.round(
        values.fontSize! * LAYOUT_DEFAULTS.lineHeight / LAYOUT_DEFAULTS.fontSize,
      );
    },
    defaultText: `${LAYOUT_DEFAULTS.lineHeight} at ${LAYOUT_DEFAULTS.height} lines; keeps ` +
      `${LAYOUT_DEFAULTS.lineHeight}:${LAYOUT_DEFAULTS.fontSize} with the font size`,
  },
  margin: {
    flags: "--margin <px>",
    help: "blank border on every side, never inked",
    commands: SILENT,
    type: "integer",
    min: 1,
    max: MAX_SIDE,
    default: ({ values }) => scaledLayout(values.height!).margin,
    defaultText:
      `${LAYOUT_DEFAULTS.margin} at ${LAYOUT_DEFAULTS.height} lines, scaled with the height`,
  },
  longPrompt: {
    flags: "--long-prompt <policy>",
    help: "prompts too long for page 1: paginate (prompt-only pages first), shrink, skip",
    commands: SILENT,
    choices: ["paginate", "shrink", "skip"],
    config: "render.long_prompt",
    default: LAYOUT_DEFAULTS.longPrompt,
  },
  promptPageFrames: {
    flags: "--prompt-page-frames <n>",
    help: "frames each prompt-only page is held (taken from the answer's frames)",
    commands: SILENT,
    type: "integer",
    min: 1,
    max: MAX_FRAMES,
    config: "render.prompt_page_frames",
    default: LAYOUT_DEFAULTS.promptPageFrames,
  },
  background: {
    flags: "--background <#RRGGBB>",
    help: "background colour",
    commands: SILENT,
    default: PAINT_DEFAULTS.background,
  },
  foreground: {
    flags: "--foreground <#RRGGBB>",
    help: "text colour",
    commands: SILENT,
    default: PAINT_DEFAULTS.foreground,
  },
  style: {
    flags: "--style <look>",
    help: "seed: one font, black on white; varied: per row a seeded font (only ones with a glyph " +
      "for every character), text/background colours of contrast >= 4.5, flat, gradient or paper " +
      "background, and sizes near --font-size/--line-height/--margin, recorded in each line's style " +
      "(narrated: the prompt area; the subtitle band keeps its look)",
    commands: BOTH,
    choices: ["seed", "varied"],
    config: "render.style",
    default: STYLE_DEFAULTS.style,
  },
  styleSeed: {
    flags: "--style-seed <n>",
    help: "with the dataset and the row index, decides each varied row's look",
    commands: BOTH,
    type: "integer",
    min: 0,
    max: 2 ** 31 - 1,
    config: "render.style_seed",
    default: STYLE_DEFAULTS.seed,
  },
  fontDir: {
    flags: "--font-dir <dir>",
    help: "a folder of .ttf/.otf/.ttc/.woff/.woff2 fonts --style varied may also choose",
    commands: BOTH,
    config: "render.font_dir",
    default: undefined,
    defaultText: "the bundled fonts only",
  },
  tts: {
    flags: "--tts <engine>",
    help: "edge: neural voices (online); espeak: espeak-ng (offline); piper: Piper neural voices " +
      "(offline, DATA_DIR/voices)",
    commands: NARRATED,
    choices: ["edge", "espeak", "piper"],
    default: "edge",
  },
  voice: {
    flags: "--voice <name>",
    help: "TTS voice (piper: a NAME in DATA_DIR/voices or a .onnx path)",
    commands: NARRATED,
    default: undefined,
    defaultText: "en-US-AriaNeural / zh-CN-XiaoxiaoNeural; espeak en-us / cmn-latn-pinyin; " +
      "piper en_US-lessac-medium / zh_CN-huayan-medium",
  },
  rate: {
    flags: "--rate <pct>",
    help: "speech speed change in percent, e.g. +10 or -20",
    commands: NARRATED,
    parse: ratePercent,
    default: SYNTHESIZE_DEFAULTS.rate,
  },
  maxDuration: {
    flags: "--max-duration <s>",
    help: "longest video in seconds; the narration is cut at a sentence end",
    commands: NARRATED,
    parse: positiveNumber,
    max: MAX_SECONDS,
    default: NARRATED_DEFAULTS.maxDuration,
  },
  duration: {
    flags: "--duration <s>",
    help: "every video exactly S seconds (frames per the preset's rule): speech fitted by " +
      "--rate-range speed, stories cut at a sentence end, math that does not fit skipped; " +
      "silence with the last subtitle fills the rest",
    commands: NARRATED,
    parse: positiveNumber,
    max: MAX_SECONDS,
    default: undefined,
    defaultText: "as long as the narration, up to --max-duration",
  },
  rateRange: {
    flags: "--rate-range <min-max>",
    help: "with --duration: slowest and fastest speed multipliers",
    commands: NARRATED,
    parse: speedRange,
    default: { min: 0.85, max: 1.25 },
    defaultText: "0.85-1.25",
  },
  ttsCache: {
    flags: "--tts-cache <dir>",
    help: "TTS audio cache",
    commands: NARRATED,
    default: ({ values }) => resolve(values.baseDir!, ".tts_cache"),
    defaultText: "BASE_DIR/.tts_cache",
  },
  ttsAttempts: {
    flags: "--tts-attempts <n>",
    help: "edge: tries per narration before the sample fails",
    commands: NARRATED,
    type: "integer",
    min: 1,
    max: 100,
    default: SYNTHESIZE_DEFAULTS.attempts,
  },
  espeak: {
    flags: "--espeak <path>",
    help: "espeak-ng binary",
    commands: NARRATED,
    env: "VIDEOWORD_ESPEAK",
    default: SYNTHESIZE_DEFAULTS.espeakBin,
    defaultText: "$VIDEOWORD_ESPEAK, else espeak-ng",
  },
};

const SUBMIT: readonly "submit"[] = ["submit"];

/**
 * The options of `submit`, in `--help` order, resolved like {@linkcode OPTIONS}; the environment
 * variables are the old cluster scripts'. Actions (`--dry-run`, `--json`, `--status`, `--cancel`,
 * `--print-config`) are the command's own flags, not settings.
 */
export const SUBMIT_OPTIONS: OptionTable<SubmitSettings, "submit"> = {
  config: {
    flags: "--config <file>",
    help: "settings file",
    commands: SUBMIT,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  nodes: {
    flags: "--nodes <n>",
    help: "cap on array tasks per job; each task then takes more rows",
    commands: SUBMIT,
    type: "integer",
    min: 1,
    env: "NUM_NODES",
    config: "slurm.nodes",
    default: null,
    defaultText: "as many as --samples-per-node needs",
  },
  samplesPerNode: {
    flags: "--samples-per-node <n>",
    help: "rows per array task",
    commands: SUBMIT,
    type: "integer",
    min: 1,
    max: 100_000_000,
    env: "SAMPLES_PER_NODE",
    config: "slurm.samples_per_node",
    default: 10_000,
  },
  cpusPerTask: {
    flags: "--cpus-per-task <n>",
    help: "CPUs (= render workers) per array task",
    commands: SUBMIT,
    type: "integer",
    min: 1,
    max: MAX_WORKERS,
    env: "CPUS_PER_NODE",
    config: "slurm.cpus_per_task",
    default: 8,
  },
  partition: {
    flags: "--partition <name>",
    help: "Slurm partition",
    commands: SUBMIT,
    env: "PARTITION",
    config: "slurm.partition",
    default: null,
    defaultText: "the cluster's",
  },
  time: {
    flags: "--time <limit>",
    help: "time limit per array task, HH:MM:SS or D-HH:MM:SS",
    commands: SUBMIT,
    parse: slurmTime,
    env: "TIME_LIMIT",
    config: "slurm.time",
    default: "24:00:00",
  },
  baseDir: {
    flags: "--base-dir <dir>",
    help: "output root",
    commands: SUBMIT,
    env: "BASE_DIR",
    config: "base_dir",
    default: BASE_DIR,
  },
  dataDir: {
    flags: "--data-dir <dir>",
    help: OPTIONS.dataDir.help,
    commands: SUBMIT,
    config: "data_dir",
    default: DATA_DIR,
  },
  split: {
    flags: "--split <name>",
    help: "dataset split to render (its download manifest gives the rows); passed to render",
    commands: SUBMIT,
    parse: splitName,
    default: DEFAULT_SPLIT,
  },
  mem: {
    flags: "--mem <size>",
    help: "memory per array task, as sbatch --mem (videoword.jsonc only)",
    commands: [],
    config: "slurm.mem",
    default: null,
    defaultText: "the cluster's",
  },
  logsDir: {
    flags: "--logs-dir <dir>",
    help: "folder of the array tasks' logs and sbatch scripts (videoword.jsonc only)",
    commands: [],
    config: "slurm.logs_dir",
    default: ({ values }) => join(values.baseDir!, "logs"),
    defaultText: "BASE_DIR/logs",
  },
  sbatchArgs: {
    flags: "--sbatch-args <args>",
    help: "extra sbatch arguments, e.g. --account=proj (videoword.jsonc only)",
    commands: [],
    type: "string[]",
    config: "slurm.sbatch_args",
    default: () => [],
    defaultText: "",
  },
  totalRows: {
    flags: "--total-rows <n>",
    help: "rows to cover instead of the download's row count",
    commands: SUBMIT,
    type: "integer",
    min: 1,
    default: undefined,
  },
  source: {
    flags: "--source <source>",
    help: "passed to render as --source (e.g. samples)",
    commands: SUBMIT,
    default: undefined,
    defaultText: "",
  },
  maxArraySize: {
    flags: "--max-array-size <n>",
    help: "largest array per job (bigger arrays are split into several jobs)",
    commands: SUBMIT,
    type: "integer",
    min: 1,
    default: undefined,
    defaultText: "the cluster's MaxArraySize",
  },
};

const DOWNLOAD: readonly "download"[] = ["download"];

/**
 * The options of `download`, in `--help` order, resolved like {@linkcode OPTIONS} (the data
 * folder from `videoword.jsonc`'s `data_dir`, as render reads it). Actions (`--list`, `--force`,
 * `--voice`, `--print-config`) are the command's own flags, not settings.
 */
export const DOWNLOAD_OPTIONS: OptionTable<DownloadOptionValues, "download"> = {
  config: {
    flags: "--config <file>",
    help: "settings file (its data_dir, and the datasets it declares)",
    commands: DOWNLOAD,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  dataDir: {
    flags: "--data-dir <dir>",
    help: "where datasets are stored (render reads them there)",
    commands: DOWNLOAD,
    config: "data_dir",
    default: DATA_DIR,
  },
  split: {
    flags: "--split <name>",
    help: "which split: train, test, validation, ...",
    commands: DOWNLOAD,
    parse: splitName,
    default: DEFAULT_SPLIT,
  },
  revision: {
    flags: "--revision <rev>",
    help: "Hub branch, tag or commit to download",
    commands: DOWNLOAD,
    default: undefined,
    defaultText: "main",
  },
  concurrency: {
    flags: "--concurrency <n>",
    help: "files fetched at once",
    commands: DOWNLOAD,
    type: "integer",
    min: 1,
    max: 64,
    default: 4,
  },
};

const EXPORT: readonly "export"[] = ["export"];

/**
 * The options of `export`, in `--help` order, resolved like {@linkcode OPTIONS}. `--json` is the
 * command's own flag (how the report prints), not a setting.
 */
export const EXPORT_OPTIONS: OptionTable<ExportOptionValues, "export"> = {
  config: {
    flags: "--config <file>",
    help: "settings file",
    commands: EXPORT,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  mode: {
    flags: "--mode <mode>",
    help: "manifest to export",
    commands: EXPORT,
    choices: ["inference", "rendering"],
    default: "inference",
  },
  out: {
    flags: "--out <dir>",
    help: "output folder",
    commands: EXPORT,
    default: undefined,
    defaultText: "DIR/export/FORMAT_MODE",
  },
  shardSize: {
    flags: "--shard-size <bytes>",
    help: "webdataset: bytes per tar shard, e.g. 1000000000, 1GB or 500MiB",
    commands: EXPORT,
    type: "integer",
    min: 1,
    parse: parseBytes,
    config: "export.shard_size",
    default: 1e9,
    defaultText: "1GB",
  },
  shardSamples: {
    flags: "--shard-samples <n>",
    help: "webdataset: samples per tar shard",
    commands: EXPORT,
    type: "integer",
    min: 1,
    config: "export.shard_samples",
    default: undefined,
    defaultText: "no limit",
  },
};

const VERIFY: readonly "verify"[] = ["verify"];

/**
 * The options of `verify`, in `--help` order, resolved like {@linkcode OPTIONS}. `--fix`,
 * `--merge` and `--json` are the command's actions, not settings.
 */
export const VERIFY_OPTIONS: OptionTable<VerifyOptionValues, "verify"> = {
  config: {
    flags: "--config <file>",
    help: "settings file",
    commands: VERIFY,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  jobs: {
    flags: "--jobs <n>",
    help: "parallel ffprobe processes",
    commands: VERIFY,
    type: "integer",
    min: 1,
    max: MAX_WORKERS,
    config: "verify.jobs",
    default: defaultWorkers,
    defaultText: "SLURM_CPUS_PER_TASK, else the CPU count",
  },
  ffprobe: {
    flags: "--ffprobe <path>",
    help: "ffprobe binary",
    commands: VERIFY,
    env: "VIDEOWORD_FFPROBE",
    default: VERIFY_DEFAULTS.ffprobe,
    defaultText: "$VIDEOWORD_FFPROBE, else ffprobe on PATH",
  },
};

const SCORE: readonly "score"[] = ["score"];
const SCORE_DEFAULTS = scoreDefaults();

/**
 * The options of `score`, in `--help` order, resolved like {@linkcode OPTIONS}; datasets declared
 * in the settings file are scored by their declared kind and language. `--json` is the
 * command's own flag (how the summary prints), not a setting.
 */
export const SCORE_OPTIONS: OptionTable<ScoreOptionValues, "score"> = {
  config: {
    flags: "--config <file>",
    help: "settings file (its score keys, and the datasets it declares)",
    commands: SCORE,
    default: undefined,
    defaultText: "./videoword.jsonc when present",
  },
  mode: {
    flags: "--mode <mode>",
    help: "manifests to read; all: every kind each dataset folder holds",
    commands: SCORE,
    choices: ["rendering", "inference", "all"],
    default: SCORE_DEFAULTS.mode,
  },
  videos: {
    flags: "--videos <dir>",
    help: "score generated videos in DIR (files named like DATASET_000123.mp4)",
    commands: SCORE,
    default: undefined,
    defaultText: "the dataset's own videos",
  },
  jobs: {
    flags: "--jobs <n>",
    help: "videos scored at once",
    commands: SCORE,
    type: "integer",
    min: 1,
    max: MAX_WORKERS,
    config: "score.jobs",
    default: defaultWorkers,
    defaultText: "SLURM_CPUS_PER_TASK, else the CPU count",
  },
  flagCer: {
    flags: "--flag-cer <x>",
    help: "flag videos whose CER is above this (exit 1)",
    commands: SCORE,
    type: "number",
    min: 0,
    max: 1,
    config: "score.flag_cer",
    default: SCORE_DEFAULTS.flagCer,
  },
  finalFrames: {
    flags: "--final-frames <n>",
    help: "with --videos: final frames read (the best read counts)",
    commands: SCORE,
    type: "integer",
    min: 1,
    max: 100,
    config: "score.final_frames",
    default: SCORE_DEFAULTS.finalFrames,
  },
  progress: {
    flags: "--no-progress",
    help: "no progress bar or periodic progress lines",
    commands: SCORE,
    default: true,
    defaultText: "",
  },
  report: {
    flags: "--report <file>",
    help: "write a self-contained HTML report to FILE",
    commands: SCORE,
    default: undefined,
    defaultText: "",
  },
  ffmpeg: {
    flags: "--ffmpeg <path>",
    help: "ffmpeg binary (frame extraction)",
    commands: SCORE,
    env: "VIDEOWORD_FFMPEG",
    default: SCORE_DEFAULTS.tools.ffmpegBin,
    defaultText: "$VIDEOWORD_FFMPEG, else ffmpeg on PATH",
  },
  ffprobe: {
    flags: "--ffprobe <path>",
    help: "ffprobe binary",
    commands: SCORE,
    env: "VIDEOWORD_FFPROBE",
    default: SCORE_DEFAULTS.tools.ffprobeBin,
    defaultText: "$VIDEOWORD_FFPROBE, else ffprobe on PATH",
  },
  tesseract: {
    flags: "--tesseract <path>",
    help: "tesseract binary",
    commands: SCORE,
    env: "VIDEOWORD_TESSERACT",
    default: SCORE_DEFAULTS.tools.tesseractBin,
    defaultText: "$VIDEOWORD_TESSERACT, else tesseract on PATH",
  },
};
