import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import { checkTool } from "../process/mod.ts";
import { narratedRenderer } from "../pipeline/mod.ts";
import { defaultVoice, resolveVoiceFile, type TtsEngine } from "../tts/mod.ts";
import { configFontSize, narratedSettings, type PresetName } from "./presets.ts";
import {
  addEncodeOptions,
  addPresetOption,
  addShardOptions,
  DATASET_ARGUMENT_HELP,
  type EncodeCliOptions,
  encodeSettings,
  positiveInt,
  positiveNumber,
  renderEachDataset,
  resolveShardOptions,
  type ShardCliOptions,
} from "./render_options.ts";

/** Parsed `audio-render` options. */
export type AudioRenderCliOptions = ShardCliOptions & EncodeCliOptions & {
  tts: string;
  voice?: string;
  rate?: number;
  maxDuration: number;
  ttsCache?: string;
  ttsAttempts?: number;
  espeak?: string;
  fontSize?: number;
  preset?: PresetName;
  width?: number;
  height?: number;
  fps?: number;
};

/** `+10`, `-20`, `15%`: a speed change in percent above -100. */
function ratePercent(value: string): number {
  const match = /^([+-]?\d+(?:\.\d+)?)%?$/.exec(value.trim());
  const n = match ? Number(match[1]) : NaN;
  if (!Number.isFinite(n) || n <= -100) {
    throw new InvalidArgumentError("expected a percent above -100, e.g. +10 or -20");
  }
  return n;
}

/**
 * `videoword audio-render DATASET`: narrated videos (TTS of the answer / continuation) with the
 * prompt above and sentence-synced subtitles in a bottom band, plus the narrated manifests.
 */
export function audioRenderCommand(): CommandUnknownOpts {
  const command = new Command("audio-render")
    .description("Render narrated videos with sentence-synced subtitles and their JSONL manifests")
    .argument("<dataset>", DATASET_ARGUMENT_HELP);
  addPresetOption(addEncodeOptions(addShardOptions(command)));
  command
    .addOption(
      new Option(
        "--tts <engine>",
        "edge: neural voices (online); espeak: espeak-ng (offline); piper: Piper neural voices " +
          "(offline, DATA_DIR/voices)",
      ).choices(["edge", "espeak", "piper"]).default("edge"),
    )
    .option(
      "--voice <name>",
      "TTS voice (default en-US-AriaNeural / zh-CN-XiaoxiaoNeural; espeak en-us / cmn; " +
        "piper en_US-lessac-medium / zh_CN-huayan-medium, a NAME in DATA_DIR/voices or a .onnx path)",
    )
    .option(
      "--rate <pct>",
      "speech speed change in percent, e.g. +10 or -20 (default 0)",
      ratePercent,
    )
    .option(
      "--max-duration <s>",
      "longest video; the narration is cut at a sentence end",
      positiveNumber,
      30,
    )
    .option("--tts-cache <dir>", "TTS audio cache (default BASE_DIR/.tts_cache)")
    .option(
      "--tts-attempts <n>",
      "edge: tries per narration before the sample fails (default 4)",
      positiveInt,
    )
    .option("--espeak <path>", "espeak-ng binary (default $VIDEOWORD_ESPEAK or espeak-ng)")
    .option(
      "--font-size <px>",
      "prompt font size (default 28 at 360 lines, scaled with --height; long prompts shrink)",
      positiveInt,
    )
    .option("--width <px>", "frame width (default: the preset's, seed 640)", positiveInt)
    .option("--height <px>", "frame height (default: the preset's, seed 360)", positiveInt)
    .option("--fps <n>", "frames per second (default: the preset's, seed 24)", positiveNumber)
    .action(async (dataset, cli) => {
      const options = cli as AudioRenderCliOptions;
      const shared = await resolveShardOptions(dataset, options);
      await checkTool(shared.ffmpegBin, { tool: "ffmpeg" });
      const engine = options.tts as TtsEngine;
      const espeakBin = options.espeak ?? Deno.env.get("VIDEOWORD_ESPEAK") ?? "espeak-ng";
      if (engine === "espeak") {
        await checkTool(espeakBin, { tool: "espeak-ng", versionArgs: ["--version"] });
      }
      const voicesDir = join(resolve(shared.dataDir), "voices");
      if (engine === "piper") {
        // A missing voice is one line naming the download command, before any video is tried.
        for (const spec of shared.specs) {
          await resolveVoiceFile(options.voice ?? defaultVoice("piper", spec.language), voicesDir);
        }
      }
      const cacheDir = resolve(options.ttsCache ?? resolve(shared.baseDir, ".tts_cache"));
      const video = narratedSettings(options, configFontSize(shared.config));
      await renderEachDataset(shared, "narrated", (spec, pool) =>
        narratedRenderer(spec, {
          pool,
          tts: {
            engine,
            voice: options.voice,
            rate: options.rate,
            cacheDir,
            espeakBin,
            voicesDir,
            ffmpegBin: shared.ffmpegBin,
            attempts: options.ttsAttempts,
          },
          maxDuration: options.maxDuration,
          ...video,
          encode: encodeSettings(options, shared),
        }));
    });
  return command;
}
