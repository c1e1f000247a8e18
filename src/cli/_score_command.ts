import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { checkTool } from "../process/mod.ts";
import { addTableOptions, SCORE_OPTIONS, scoreSettings } from "../options/mod.ts";
import { formatTotal, scoreDatasets, writeReport } from "../score/mod.ts";
import { addPrintConfig, resolveTableOptions } from "./_render_options.ts";

/** `videoword score BASE/DATASET...`: OCR the videos and compare with their manifest lines. */
export function scoreCommand(): CommandUnknownOpts {
  const command = new Command("score")
    .description(
      "Read the text of every video the manifests of BASE/DATASET list back with OCR (tesseract) " +
        "and compare it with what the line says it shows: character error rate, exact lines, " +
        "math answers. Narrated videos are read cue by cue in their subtitle band. Each dataset " +
        "folder in each --mode is a run with its own summary. With --videos, score a model's generated videos (named by the manifest's " +
        "keys) by their final frames. Per-video lines go to BASE/DATASET/score/; a re-run keeps " +
        "videos already scored by the same scoring version and OCR engine. Videos with CER above --flag-cer " +
        `(default ${SCORE_OPTIONS.flagCer.default}) are flagged (exit 1).`,
    )
    .argument(
      "<dirs...>",
      "dataset output folders (output/gsm8k output/gsm8k_audio), or a base folder (output) for " +
        "every dataset folder in it",
    )
    .option("--json", "print the summary as one JSON object");
  addTableOptions(command, "score");
  addPrintConfig(command);
  return command.action(async (dirs, _options, self) => {
    // The settings file (--config, or ./videoword.jsonc) also declares datasets, which are
    // scored by their declared kind and language.
    const values = await resolveTableOptions("score", self);
    if (!values) return; // --print-config
    const options = scoreSettings(values);
    await checkTool(options.tools.ffmpegBin);
    await checkTool(options.tools.tesseractBin, {
      tool: "tesseract",
      versionArgs: ["--version"],
    });
    const { total, runs } = await scoreDatasets(dirs, options);
    if (values.report) await writeReport(values.report, runs, { tools: options.tools });
    console.log(self.opts().json ? JSON.stringify(total) : formatTotal(total));
    if (total.flagged.length > 0) Deno.exitCode = 1;
  });
}
