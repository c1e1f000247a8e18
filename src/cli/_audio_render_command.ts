import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import { narratedRenderer } from "../pipeline/mod.ts";
import { resolveVoiceFile } from "../tts/mod.ts";
import { audioRenderSettings } from "../options/mod.ts";
import {
  addRenderOptions,
  DATASET_ARGUMENT_HELP,
  renderEachDataset,
  resolveCommandOptions,
} from "./_render_options.ts";

/**
 * `videoword audio-render DATASET`: narrated videos (TTS of the answer / continuation) with the
 * prompt above and sentence-synced subtitles in a bottom band, plus the narrated manifests.
 */
export function audioRenderCommand(): CommandUnknownOpts {
  const command = new Command("audio-render")
    .description("Render narrated videos with sentence-synced subtitles and their JSONL manifests")
    .argument("<dataset>", DATASET_ARGUMENT_HELP);
  addRenderOptions(command, "audio-render");
  command.action(async (dataset, _options, self) => {
    const resolved = await resolveCommandOptions("audio-render", self);
    if (!resolved) return;
    const settings = audioRenderSettings(dataset, resolved.values);
    const { narrated } = settings;
    await checkTool(narrated.encode.ffmpegBin, { tool: "ffmpeg" });
    const { engine, espeakBin, voices, voicesDir } = narrated.tts;
    if (engine === "espeak") {
      await checkTool(espeakBin, { tool: "espeak-ng", versionArgs: ["--version"] });
    }
    if (engine === "piper") {
      // A missing voice is one line naming the download command, before any video is tried.
      for (const spec of settings.shard.specs) {
        await resolveVoiceFile(voices[spec.language], voicesDir);
      }
    }
    await renderEachDataset(
      settings.shard,
      resolved.config,
      "narrated",
      (spec, pool) => narratedRenderer(spec, { ...narrated, pool }),
    );
  });
  return command;
}
