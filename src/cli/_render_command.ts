import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import { silentRenderer } from "../pipeline/mod.ts";
import { renderSettings } from "../options/mod.ts";
import {
  addRenderOptions,
  DATASET_ARGUMENT_HELP,
  renderEachDataset,
  resolveCommandOptions,
} from "./_render_options.ts";

/**
 * `videoword render DATASET`: silent videos revealing the answer word by word under the prompt,
 * plus the inference / rendering manifests.
 */
export function renderCommand(): CommandUnknownOpts {
  const command = new Command("render")
    .description("Render silent word-by-word videos and their JSONL manifests")
    .argument("<dataset>", DATASET_ARGUMENT_HELP);
  addRenderOptions(command, "render");
  command.action(async (dataset, _options, self) => {
    const resolved = await resolveCommandOptions("render", self);
    if (!resolved) return;
    const settings = renderSettings(dataset, resolved.values, resolved.origins);
    await checkTool(settings.silent.encode.ffmpegBin, { tool: "ffmpeg" });
    await renderEachDataset(
      settings.shard,
      resolved.config,
      "silent",
      (spec, pool) => silentRenderer(spec, { ...settings.silent, pool }),
    );
  });
  return command;
}
