import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import type { LongPromptPolicy, RevealPace } from "../layout/mod.ts";
import { silentRenderer } from "../pipeline/mod.ts";
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

/** Parsed `render` options. */
export type RenderCliOptions = ShardCliOptions & EncodeCliOptions & {
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
  addEncodeOptions(addShardOptions(command));
  command
    .addOption(
      new Option("--long-prompt <policy>", "prompts too long for page 1 (default paginate)")
        .choices(["paginate", "shrink", "skip"]),
    )
    .option("--prompt-page-frames <n>", "frames per prompt-only page (default 10)", positiveInt)
    .option("--font-size <px>", "font size (default 28; line height scales from 32)", positiveInt)
    .option("--line-height <px>", "line pitch (default 32)", positiveInt)
    .option("--margin <px>", "blank border on every side, never inked (default 15)", positiveInt)
    .option("--frames <n>", "frames per video (default 193)", positiveInt)
    .option("--fps <n>", "frames per second (default 19.3)", positiveNumber)
    .option("--width <px>", "frame width (default 640)", positiveInt)
    .option("--height <px>", "frame height (default 360)", positiveInt)
    .addOption(
      new Option("--pace <pace>", "one unit per frame, or fit the answer to the frames")
        .choices(["one", "fit"]).default("one"),
    )
    .option(
      "--hold-frames <n>",
      "fit: frames the whole answer stays on screen at the end (default 10% of frames, ≥ 1)",
      positiveInt,
    )
    .option("--max-units-per-frame <n>", "fit: most words shown by one frame", positiveInt, 4)
    .option("--background <#RRGGBB>", "background colour (default #FFFFFF)")
    .option("--foreground <#RRGGBB>", "text colour (default #000000)")
    .action(async (dataset, cli) => {
      const options = cli as RenderCliOptions;
      const shared = await resolveShardOptions(dataset, options);
      await checkTool(shared.ffmpegBin, { tool: "ffmpeg" });
      const render = shared.config.render;
      await renderEachDataset(shared, "silent", (spec, pool) =>
        silentRenderer(spec, {
          pool,
          fps: options.fps,
          layout: {
            fontSize: options.fontSize ?? render.font_size,
            lineHeight: options.lineHeight,
            margin: options.margin,
            longPrompt: (options.longPrompt ?? render.long_prompt) as LongPromptPolicy,
            promptPageFrames: options.promptPageFrames ?? render.prompt_page_frames,
            frames: options.frames,
            pace: options.pace as RevealPace,
            holdFrames: options.holdFrames,
            maxUnitsPerFrame: options.maxUnitsPerFrame,
            width: options.width,
            height: options.height,
          },
          paint: { background: options.background, foreground: options.foreground },
          encode: encodeSettings(options, shared),
        }));
    });
  return command;
}
