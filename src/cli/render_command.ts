import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import type { LongPromptPolicy, RevealPace } from "../layout/mod.ts";
import { silentRenderer } from "../pipeline/mod.ts";
import { configFontSize, type PresetName, silentSettings } from "./presets.ts";
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

/** Parsed `render` options. */
export type RenderCliOptions = ShardCliOptions & EncodeCliOptions & {
  preset?: PresetName;
  longPrompt?: string;
  promptPageFrames?: number;
  fontSize?: number;
  lineHeight?: number;
  margin?: number;
  frames?: number;
  fps?: number;
  width?: number;
  height?: number;
  background?: string;
  foreground?: string;
  pace?: string;
  holdFrames?: number;
  maxUnitsPerFrame?: number;
};

/**
 * `videoword render DATASET`: silent videos revealing the answer word by word under the prompt,
 * plus the inference / rendering manifests.
 */
export function renderCommand(): CommandUnknownOpts {
  const command = new Command("render")
    .description("Render silent word-by-word videos and their JSONL manifests")
    .argument("<dataset>", DATASET_ARGUMENT_HELP);
  addPresetOption(addEncodeOptions(addShardOptions(command)));
  command
    .addOption(
      new Option("--long-prompt <policy>", "prompts too long for page 1 (default paginate)")
        .choices(["paginate", "shrink", "skip"]),
    )
    .option("--prompt-page-frames <n>", "frames per prompt-only page (default 10)", positiveInt)
    .option(
      "--font-size <px>",
      "font size (default 28 at 360 lines, scaled with --height; line height keeps 32:28)",
      positiveInt,
    )
    .option("--line-height <px>", "line pitch (default 32 at 360 lines)", positiveInt)
    .option(
      "--margin <px>",
      "blank border on every side, never inked (default 15 at 360 lines)",
      positiveInt,
    )
    .option("--frames <n>", "frames per video (default: the preset's, seed 193)", positiveInt)
    .option("--fps <n>", "frames per second (default: the preset's, seed 19.3)", positiveNumber)
    .option("--width <px>", "frame width (default: the preset's, seed 640)", positiveInt)
    .option("--height <px>", "frame height (default: the preset's, seed 360)", positiveInt)
    .addOption(
      new Option(
        "--pace <pace>",
        "one unit per frame, or fit the answer to the frames (default: the preset's, seed one)",
      ).choices(["one", "fit"]),
    )
    .option(
      "--hold-frames <n>",
      "fit: frames the whole answer stays on screen at the end (default 10% of frames, ≥ 1)",
      positiveInt,
    )
    .option(
      "--max-units-per-frame <n>",
      "fit: most words shown by one frame (default 4)",
      positiveInt,
    )
    .option("--background <#RRGGBB>", "background colour (default #FFFFFF)")
    .option("--foreground <#RRGGBB>", "text colour (default #000000)")
    .action(async (dataset, cli) => {
      const options = cli as RenderCliOptions;
      const shared = await resolveShardOptions(dataset, options);
      await checkTool(shared.ffmpegBin, { tool: "ffmpeg" });
      const render = shared.config.render;
      const video = silentSettings(
        { ...options, pace: options.pace as RevealPace | undefined },
        configFontSize(shared.config),
      );
      await renderEachDataset(shared, "silent", (spec, pool) =>
        silentRenderer(spec, {
          pool,
          fps: video.fps,
          layout: {
            fontSize: video.fontSize,
            lineHeight: video.lineHeight,
            margin: video.margin,
            longPrompt: (options.longPrompt ?? render.long_prompt) as LongPromptPolicy,
            promptPageFrames: options.promptPageFrames ?? render.prompt_page_frames,
            frames: video.frames,
            pace: video.pace,
            holdFrames: video.holdFrames,
            maxUnitsPerFrame: video.maxUnitsPerFrame,
            width: video.width,
            height: video.height,
          },
          paint: { background: options.background, foreground: options.foreground },
          encode: encodeSettings(options, shared),
        }));
    });
  return command;
}
