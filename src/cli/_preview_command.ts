import { resolve } from "node:path";
import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { DATASET_KEYS, getDataset, readSamples } from "../datasets/mod.ts";
import { narratedRenderer, resolveSource, silentRenderer } from "../pipeline/mod.ts";
import {
  addTableOptions,
  audioRenderSettings,
  type CommandName,
  commandRows,
  givenFlags,
  nonNegativeInt,
  OPTIONS,
  type OptionValues,
  renderSettings,
} from "../options/mod.ts";
import { previewSample, styleSummary } from "../preview/mod.ts";
import { resolveCommandOptions } from "./_render_options.ts";
import { templatesFor } from "./_templates.ts";

/** Table options that choose many rows or pace a long run: meaningless for one sample. */
const RUN_ONLY: (keyof OptionValues)[] = [
  "startIdx",
  "numSamples",
  "numWorkers",
  "renderThreads",
  "progress",
];

/** Parsed preview-only flags (the table's options resolve through `resolveCommandOptions`). */
interface PreviewFlags {
  index: number;
  narrated?: boolean;
  out: string;
  json?: boolean;
}

/**
 * `videoword preview DATASET`: one sample planned exactly as `render` (or, with `--narrated`,
 * `audio-render`) would plan it with the same options: a contact sheet and an animated GIF in
 * `--out`, its style and manifest lines printed, or with `--json` the layout plan (with the style
 * record) alone.
 */
export function previewCommand(): CommandUnknownOpts {
  const command = new Command("preview")
    .description(
      "Look at one sample before a long job: contact sheet PNG, half-size GIF, its manifest " +
        "lines; --json prints the layout plan",
    )
    .argument(
      "<dataset>",
      `dataset: ${DATASET_KEYS.join(", ")}, or one declared in videoword.jsonc`,
    )
    .addOption(
      new Option("--index <n>", "row of the split (or of the --input file)")
        .argParser(nonNegativeInt).default(0),
    )
    .option("--narrated", "preview a narrated video: audio-render's options apply")
    .option("--out <dir>", "folder for contact_sheet.png and animation.gif", "preview")
    .option("--json", 'print the layout plan (or {"skip": reason}) and write nothing');
  addTableOptions(command, ["render", "audio-render"], { except: RUN_ONLY });
  command.addOption(
    new Option("--print-config", "print the resolved options (and where each came from) and exit"),
  );
  command.action(async (dataset, _options, self) => {
    const flags = self.opts() as unknown as PreviewFlags;
    const name: CommandName = flags.narrated ? "audio-render" : "render";
    // A flag of the other kind of video would be silently ignored: say so instead.
    const offered = new Set(commandRows(name).map(([key]) => key));
    const foreign = (Object.keys(givenFlags(self)) as (keyof OptionValues)[])
      .find((key) => key in OPTIONS && !offered.has(key));
    if (foreign) {
      const flag = OPTIONS[foreign].flags.split(/[ ,]/)[0];
      throw new Error(
        flags.narrated
          ? `${flag} is an option of silent videos (render), not of --narrated previews`
          : `${flag} is an option of narrated videos: add --narrated`,
      );
    }
    const resolved = await resolveCommandOptions(name, self);
    if (!resolved) return;
    const spec = getDataset(dataset);
    const values = resolved.values;
    const source = await resolveSource(spec, {
      dataDir: values.dataDir,
      inputs: values.input,
      source: values.source,
      split: values.split,
    });
    let item;
    for await (const row of readSamples(spec, source.files, { start: flags.index, count: 1 })) {
      item = row;
    }
    if (!item) throw new Error(`no row ${flags.index} in ${source.description}`);
    if ("skip" in item) {
      // A row the dataset's cleaning rejects is skipped by a render the same way.
      console.log(
        flags.json
          ? JSON.stringify({ skip: item.skip })
          : `row ${flags.index} would be skipped: ${item.skip}`,
      );
      return;
    }
    const silent = name === "render" ? renderSettings(spec.key, values).silent : null;
    const narrated = name === "audio-render"
      ? audioRenderSettings(spec.key, values).narrated
      : null;
    const renderer = silent ? silentRenderer(spec, silent) : narratedRenderer(spec, narrated!);
    const kind = renderer.kind;
    const modes = values.mode === "both" ? ["inference", "rendering"] as const : [values.mode];
    const templates = templatesFor(spec, resolved.config, kind);
    const result = await previewSample(item.sample, {
      spec,
      renderer,
      fps: silent ? silent.fps : narrated!.fps,
      paint: silent ? silent.paint : {},
      baseDir: values.baseDir,
      split: values.split,
      templates: Object.fromEntries(modes.map((mode) => [mode, templates[mode]])),
      ffmpegBin: values.ffmpeg,
    }, { outDir: resolve(flags.out), planOnly: flags.json });
    if (flags.json) {
      console.log(JSON.stringify(result.plan));
      return;
    }
    if ("skip" in result.plan) {
      console.log(`row ${flags.index} would be skipped: ${result.plan.skip}`);
      return;
    }
    console.log(`style: ${styleSummary(result.plan.style)}`);
    for (const mode of modes) {
      console.log(`${mode} manifest line:`);
      console.log(JSON.stringify(result.manifest[mode]));
    }
    for (const file of result.files) console.log(`wrote ${file}`);
  });
  return command;
}
