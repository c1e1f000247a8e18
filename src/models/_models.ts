/**
 * The models this program renders for, one record per model family (clip shape, frame rule,
 * side step, the sources of each number), and the trainers' formats `videoword export` writes
 * (files, trainer command, the family whose rules it checks, how paths are written). `--preset`
 * (src/options) and export (src/export) read them; nothing else states these numbers.
 */
import type { RevealPace } from "../layout/mod.ts";

/** The model families, each a `--preset`. */
export const MODEL_FAMILY_NAMES = [
  "seed",
  "wan",
  "hunyuan",
  "ltx",
  "cogvideox",
  "opensora",
] as const;

/** One of {@link MODEL_FAMILY_NAMES}. */
export type ModelFamilyName = typeof MODEL_FAMILY_NAMES[number];

/** What a model family takes: its clip shape and the rules its trainers check. */
export interface ModelFamily {
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
  /** Model family, for `--help`, the README and export notes. */
  model: string;
  /** Where each number comes from: files in that project's repository. */
  sources: readonly string[];
}

/** One record per model family, each citing the files that set its numbers. */
export const MODEL_FAMILIES: Readonly<Record<ModelFamilyName, ModelFamily>> = {
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
    sources: [
      "videoword: the defaults before presets (640×360, 193 frames at 19.3 fps, one word per frame; narrated 24 fps)",
    ],
  },
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
    sources: [
      "Wan2.1 wan/configs/__init__.py: size 832*480",
      "Wan2.1 wan/configs/shared_config.py: sample_fps = 16",
      'Wan2.1 generate.py: frame_num default 81, "should be 4n+1"',
      "DiffSynth-Studio diffsynth/diffusion/parsers.py: --num_frames default 81",
      "DiffSynth-Studio diffsynth/core/data/unified_dataset.py: sides divisible by 16, frames rounded to 4n+1",
    ],
  },
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
    sources: [
      'HunyuanVideo hyvideo/config.py: --video-length 129, "should be 4n+1"',
      "HunyuanVideo README.md: 540p is 960×544, 129 frames",
      "HunyuanVideo sample_video.py: saved at fps=24",
      "musubi-tuner src/musubi_tuner/dataset/config_utils.py: default resolution (960, 544)",
    ],
  },
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
    sources: [
      "LTX-Video-Trainer configs/ltxv_2b_lora.yaml: video_dims [768, 448, 89]",
      "LTX-Video-Trainer src/ltxv_trainer/datasets.py: width and height % 32 == 0, frames % 8 == 1",
      "LTX-Video-Trainer src/ltxv_trainer/trainer.py: videos exported at fps=24",
    ],
  },
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
    sources: [
      "CogVideo finetune/schemas/args.py: CogVideoX-5B 480×720, (frames - 1) % 8 == 0",
      'CogVideo inference/cli_demo.py: "CogVideoX1.0 generates 49 frames for 6 seconds at 8 fps"',
    ],
  },
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
    sources: [
      'Open-Sora v2 configs/diffusion/inference/256px.py: num_frames=129, aspect_ratio="16:9", fps_save = 24',
      "Open-Sora v2 configs/diffusion/inference/768px.py: resolution 768px",
      "Open-Sora v2 opensora/datasets/aspect.py: 768px at 16:9 is 1024×576, sides in steps of 16",
      "Open-Sora v2 configs/diffusion/train/stage1.py: frame buckets 1, 5, … 129 (4n+1)",
    ],
  },
};

/** Largest `step·n + 1` not above `frames` (at least 1): the frames a model keeps. */
export function frameRuleFloor(frames: number, step: number): number {
  return Math.max(1, Math.floor((frames - 1) / step) * step + 1);
}

/** Largest multiple of `step` not above `value` (at least `step`): the side a model keeps. */
export function sideFloor(value: number, step: number): number {
  return Math.max(step, Math.floor(value / step) * step);
}

/** Formats `videoword export` writes for a trainer (WebDataset is a format, not a trainer's). */
export const TRAINER_FORMAT_NAMES = [
  "diffsynth",
  "musubi",
  "finetrainers",
  "ltx",
  "opensora",
  "cogvideox",
] as const;

/** One of {@link TRAINER_FORMAT_NAMES}. */
export type TrainerFormatName = typeof TRAINER_FORMAT_NAMES[number];

/** What a trainer reads and checks. */
export interface TrainerFormat {
  /** The trainer command the export's flags are for. */
  trainer: string;
  /** Files the export writes besides the videos (relative to its folder). */
  files: readonly string[];
  /**
   * How video paths are written: relative to the export folder, or absolute for trainers that
   * resolve paths against their working directory.
   */
  paths: "relative" | "absolute";
  /**
   * The model family whose frame rule and side step the trainer checks (`null`: it takes any
   * shape), and the name export notes give it.
   */
  rules: { family: ModelFamilyName; model: string } | null;
  /** Where the format's facts come from. */
  sources: readonly string[];
}

/** One record per trainer format. */
export const TRAINER_FORMATS: Readonly<Record<TrainerFormatName, TrainerFormat>> = {
  diffsynth: {
    trainer: "DiffSynth-Studio examples/wanvideo/model_training/train.py",
    files: ["metadata.csv"],
    paths: "relative",
    rules: { family: "wan", model: "Wan" },
    sources: [
      "DiffSynth-Studio diffsynth/core/data/unified_dataset.py: each file column joined to " +
      "--dataset_base_path; audio-video models read `input_audio`",
    ],
  },
  musubi: {
    trainer: "musubi-tuner wan_cache_latents.py / wan_train_network.py",
    files: ["videos.jsonl", "dataset.toml"],
    paths: "absolute",
    rules: { family: "wan", model: "Wan/Hunyuan" },
    sources: [
      "musubi-tuner src/musubi_tuner/dataset/datasources.py (VideoJsonlDatasource): opens " +
      "`video_path` as given; caches are named by basename",
    ],
  },
  finetrainers: {
    trainer: "finetrainers train.py",
    files: ["metadata.jsonl", "dataset_config.json"],
    paths: "relative",
    rules: null,
    sources: [
      "finetrainers finetrainers/data/dataset.py: OUT loaded as a `videofolder` " +
      "(metadata.jsonl, `file_name` relative to it)",
      "finetrainers finetrainers/args.py: the dataset config keys",
    ],
  },
  ltx: {
    trainer: "LTX-Video-Trainer scripts/preprocess_dataset.py",
    files: ["dataset.csv"],
    paths: "relative",
    rules: { family: "ltx", model: "LTX" },
    sources: [
      "LTX-Video-Trainer scripts/process_videos.py: `media_path` resolved against the " +
      "dataset file's folder",
      "LTX-Video-Trainer src/ltxv_trainer/datasets.py: frames % 8 == 1, sides % 32 == 0",
      "LTX-2's trainer also reads `video`, and `audio` for audio-video training",
    ],
  },
  opensora: {
    trainer: "Open-Sora scripts/diffusion/train.py configs/diffusion/train/stage1.py",
    files: ["opensora.csv"],
    paths: "absolute",
    rules: null,
    sources: [
      "Open-Sora opensora/datasets/datasets.py: opens `path` as given",
      "Open-Sora scripts/cnv/meta.py: aspect_ratio = height / width, resolution = height * width",
    ],
  },
  cogvideox: {
    trainer: "CogVideo finetune/train.py",
    files: ["prompts.txt", "videos.txt"],
    paths: "relative",
    rules: { family: "cogvideox", model: "CogVideoX" },
    sources: [
      "CogVideo finetune/datasets/utils.py: line-aligned files, each video resolved against " +
      "the list's folder",
      "CogVideo finetune/schemas/args.py: (frames - 1) % 8 == 0",
    ],
  },
};
