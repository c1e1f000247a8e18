import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import { checkFfmpeg } from "../encode/mod.ts";
import { narratedRenderer } from "../pipeline/mod.ts";
import { defaultVoice, resolveVoiceFile, type TtsEngine } from "../tts/mod.ts";
import {
  addEncodeOptions,
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

/** Fail once, early, when the offline engine is missing (instead of failing every sample). */
async function checkEspeak(bin: string): Promise<void> {
  try {
    const out = await new Deno.Command(bin, {
      args: ["--version"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error(`${bin} --version failed (exit ${out.code})`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `espeak-ng not found ('${bin}'): install it (apt-get install espeak-ng) or pass --espeak PATH`,
      );
    }
    throw error;
  }
}

/**
 * `videoword audio-render DATASET`: narrated videos (TTS of the answer / continuation) with the
 * prompt above and sentence-synced subtitles in a bottom band, plus the narrated manifests.
 */
export function audioRenderCommand(): CommandUnknownOpts {
  const command = new Command("audio-render")
    .description("Render narrated videos with sentence-synced subtitles and their JSONL manifests")
    .argument("<dataset>", DATASET_ARGUMENT_HELP);
  addEncodeOptions(addShardOptions(command));
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
    .option("--font-size <px>", "prompt font size (default 28; long prompts shrink)", positiveInt)
    .action(async (dataset, cli) => {
      const options = cli as AudioRenderCliOptions;
      const shared = await resolveShardOptions(dataset, options);
      await checkFfmpeg(shared.ffmpegBin);
      const engine = options.tts as TtsEngine;
      const espeakBin = options.espeak ?? Deno.env.get("VIDEOWORD_ESPEAK") ?? "espeak-ng";
      if (engine === "espeak") await checkEspeak(espeakBin);
      const voicesDir = join(resolve(shared.dataDir), "voices");
      if (engine === "piper") {
        // A missing voice is one line naming the download command, before any video is tried.
        for (const spec of shared.specs) {
          await resolveVoiceFile(options.voice ?? defaultVoice("piper", spec.language), voicesDir);
        }
      }
      const cacheDir = resolve(options.ttsCache ?? resolve(shared.baseDir, ".tts_cache"));
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
          fontSize: options.fontSize ?? shared.config.render.font_size,
          encode: encodeSettings(options, shared),
        }));
    });
  return command;
}
