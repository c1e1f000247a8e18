import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import {
  EXPORT_FORMATS,
  exportDataset,
  type ExportFormat,
  formatExportReport,
} from "../export/mod.ts";
import { addTableOptions } from "../options/mod.ts";
import { addPrintConfig, resolveTableOptions } from "./_render_options.ts";

/** `videoword export FORMAT BASE/DATASET`: metadata (or tars) in the shape a trainer reads. */
export function exportCommand(): CommandUnknownOpts {
  const command = new Command("export")
    .description(
      "Write a rendered dataset folder (BASE/DATASET or BASE/DATASET_audio) in the layout a " +
        "trainer reads, then print the trainer's dataset flags. Lines whose video is missing or " +
        "empty are left out and counted.",
    )
    .addArgument(
      new Command().createArgument("<format>", "trainer format").choices(EXPORT_FORMATS),
    )
    .argument("<dir>", "dataset output folder, e.g. output/gsm8k")
    .option("--json", "print the report as JSON");
  addTableOptions(command, "export");
  addPrintConfig(command);
  return command.action(async (format, dir, _options, self) => {
    const values = await resolveTableOptions("export", self);
    if (!values) return; // --print-config
    const { mode, out, shardSize, shardSamples } = values;
    const report = await exportDataset(dir, {
      format: format as ExportFormat,
      mode,
      out,
      shardSize,
      shardSamples,
    });
    const json = self.opts().json === true;
    console.log(json ? JSON.stringify(report, null, 2) : formatExportReport(report));
    // Written without them, but a line whose video is not what it says is a damaged dataset.
    if (report.refused > 0) Deno.exitCode = 1;
  });
}
