/**
 * Model presets: one row per model family, each number checked in the model's or trainer's own
 * source (cited per row). A preset is a layer of option values over the built-in defaults
 * (`resolveOptions`' `preset` layer): the settings file, the environment and flags override it.
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import { X264_PRESETS } from "../encode/mod.ts";
import { LAYOUT_DEFAULTS, type RevealPace } from "../layout/mod.ts";
import type { CommandName, OptionValues } from "./_table.ts";

/** Names accepted by `--preset`. */
export const PRESET_NAMES = ["seed", "wan", "hunyuan", "ltx", "cogvideox", "opensora"] as const;

/** One of {@link PRESET_NAMES}. */
export type PresetName = typeof PRESET_NAMES[number];

/** What a preset sets. */
export interface ModelPreset {
  /** Frame width and height in pixels (multiples of `sideStep`). */
  width: number;
  height: number;
  /** Frames of a silent video (`frameStep·n + 1`). */
  frames: number;
  /** Frames per second of silent videos. */
  fps: number;
  /** Frames per second of narrated videos. */
  narratedFps: number;
  /** Silent reveal pace. */
  pace: RevealPace;
  /** Frame counts the model takes are `frameStep·n + 1` (1: any count). */
  frameStep: number;
  /** Sides the model takes are multiples of this. */
  sideStep: number;
  /** Model family, for `--help` and the README. */
  model: string;
}

/**
 * The preset table: one row per model family, each citing the files (in that project's
 * repository) that set its numbers.
 */
export const PRESETS: Readonly<Record<PresetName, ModelPreset>> = {
  // This program's defaults before presets: 640×360, 193 frames at 19.3 fps, one word per frame
  // (narrated: 24 fps).
  seed: {
    model: "today's defaults",
    width: 640,
    height: 360,
    frames: 193,
    fps: 19.3,
    narratedFps: 24,
    pace: "one",
    frameStep: 1,
    sideStep: 1,
  },
  // Wan2.1 wan/configs/__init__.py (size 832*480), wan/configs/shared_config.py (sample_fps = 16),
  // generate.py (frame_num default 81, "should be 4n+1"); DiffSynth-Studio
  // diffsynth/diffusion/parsers.py (--num_frames default 81), diffsynth/core/data/unified_dataset.py
  // (sides divisible by 16, frames rounded to 4n+1).
  wan: {
    model: "Wan 2.1/2.2 (DiffSynth-Studio, musubi-tuner)",
    width: 832,
    height: 480,
    frames: 81,
    fps: 16,
    narratedFps: 16,
    pace: "fit",
    frameStep: 4,
    sideStep: 16,
  },
  // HunyuanVideo hyvideo/config.py (--video-length 129, "should be 4n+1"), README.md (540p:
  // 960×544, 129 frames), sample_video.py (saved at fps=24); musubi-tuner
  // src/musubi_tuner/dataset/config_utils.py (default resolution (960, 544)).
  hunyuan: {
    model: "HunyuanVideo 540p (musubi-tuner)",
    width: 960,
    height: 544,
    frames: 129,
    fps: 24,
    narratedFps: 24,
    pace: "fit",
    frameStep: 4,
    sideStep: 16,
  },
  // LTX-Video-Trainer configs/ltxv_2b_lora.yaml (video_dims: [768, 448, 89]),
  // src/ltxv_trainer/datasets.py (width and height % 32 == 0, frames % 8 == 1),
  // src/ltxv_trainer/trainer.py (videos exported at fps=24).
  ltx: {
    model: "LTX-Video (LTX-Video-Trainer)",
    width: 768,
    height: 448,
    frames: 89,
    fps: 24,
    narratedFps: 24,
    pace: "fit",
    frameStep: 8,
    sideStep: 32,
  },
  // CogVideo finetune/schemas/args.py (CogVideoX-5B: 480×720, (frames - 1) % 8 == 0),
  // inference/cli_demo.py ("CogVideoX1.0 generates 49 frames for 6 seconds at 8 fps").
  cogvideox: {
    model: "CogVideoX 1.0 (CogVideo finetune)",
    width: 720,
    height: 480,
    frames: 49,
    fps: 8,
    narratedFps: 8,
    pace: "fit",
    frameStep: 8,
    sideStep: 16,
  },
  // Open-Sora v2 configs/diffusion/inference/256px.py (num_frames=129, aspect_ratio="16:9",
  // fps_save = 24), configs/diffusion/inference/768px.py (resolution 768px),
  // opensora/datasets/aspect.py (768px at 16:9 is 1024×576, sides in steps of 16),
  // configs/diffusion/train/stage1.py (frame buckets 1, 5, … 129: 4n+1).
  opensora: {
    model: "Open-Sora v2, 768px 16:9",
    width: 1024,
    height: 576,
    frames: 129,
    fps: 24,
    narratedFps: 24,
    pace: "fit",
    frameStep: 4,
    sideStep: 16,
  },
};

/** The layout's sizes at its default height (360 lines); other heights scale them. */
const AT_360 = {
  fontSize: LAYOUT_DEFAULTS.fontSize,
  lineHeight: LAYOUT_DEFAULTS.lineHeight,
  margin: LAYOUT_DEFAULTS.margin,
} as const;

/** Font size, line pitch and margin for a frame `height` lines tall (28 / 32 / 15 at 360). */
export function scaledLayout(
  height: number,
): { fontSize: number; lineHeight: number; margin: number } {
  const scale = height / LAYOUT_DEFAULTS.height;
  return {
    fontSize: Math.round(AT_360.fontSize * scale),
    lineHeight: Math.round(AT_360.lineHeight * scale),
    margin: Math.round(AT_360.margin * scale),
  };
}

/** `--preset` value: a preset name; an x264 preset name points to `--x264-preset`. */
export function parsePreset(value: string): PresetName {
  if ((PRESET_NAMES as readonly string[]).includes(value)) return value as PresetName;
  if (X264_PRESETS.includes(value)) {
    throw new InvalidArgumentError(`'${value}' is an x264 preset: use --x264-preset ${value}`);
  }
  throw new InvalidArgumentError(`unknown preset '${value}' (use ${PRESET_NAMES.join(", ")})`);
}

/** One `--help` line per preset. */
export function presetHelp(): string {
  return PRESET_NAMES.map((name) => {
    const p = PRESETS[name];
    return `${name}: ${p.width}x${p.height}, ${p.frames} frames at ${p.fps} fps, pace ${p.pace}` +
      ` (${p.model})`;
  }).join("; ");
}

/** The option values preset `name` sets for `command` (narrated videos use `narratedFps`). */
export function presetValues(name: PresetName, command: CommandName): Partial<OptionValues> {
  const row = PRESETS[name];
  const size = { width: row.width, height: row.height };
  return command === "audio-render"
    ? { ...size, fps: row.narratedFps, frameStep: row.frameStep }
    : { ...size, frames: row.frames, fps: row.fps, pace: row.pace };
}
