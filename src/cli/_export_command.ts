import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import {
  EXPORT_FORMATS,
  exportDataset,
  type ExportFormat,
  type ExportMode,
  formatExportReport,
} from "../export/mod.ts";
import { positiveInt } from "./_render_options.ts";

const UNITS: Record<string, number> = {
  "": 1,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** `1000000000`, `1GB`, `500MiB`: a byte count. */
export function parseBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? UNITS[match[2].toUpperCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) * unit < 1) {
    throw new InvalidArgumentError("expected bytes, e.g. 1000000000, 1GB or 500MiB");
  }
  return Math.floor(Number(match[1]) * unit);
}

/** `videoword export FORMAT BASE/DATASET`: metadata (or tars) in the shape a trainer reads. */
export function exportCommand(): CommandUnknownOpts {
  return new Command("export")
    .description(
      "Write a rendered dataset folder (BASE/DATASET or BASE/DATASET_audio) in the layout a " +
        "trainer reads, then print the trainer's dataset flags. Lines whose video is missing or " +
        "empty are left out and counted.",
    )
    .addArgument(
      new Command().createArgument("<format>", "trainer format").choices(EXPORT_FORMATS),
    )
    .argument("<dir>", "dataset output folder, e.g. output/gsm8k")
    .addOption(
      new Option("--mode <mode>", "manifest to export").choices(["inference", "rendering"])
        .default("inference"),
    )
    .option("--out <dir>", "output folder (default DIR/export/FORMAT_MODE)")
    .option("--shard-size <bytes>", "webdataset: bytes per tar shard (default 1GB)", parseBytes)
    .option("--shard-samples <n>", "webdataset: samples per tar shard", positiveInt)
    .option("--json", "print the report as JSON")
    .action(async (format, dir, options) => {
      const report = await exportDataset(dir, {
        format: format as ExportFormat,
        mode: options.mode as ExportMode,
        out: options.out,
        shardSize: options.shardSize ?? 1e9,
        shardSamples: options.shardSamples,
      });
      console.log(options.json ? JSON.stringify(report, null, 2) : formatExportReport(report));
      // Written without them, but a line whose video is not what it says is a damaged dataset.
      if (report.refused > 0) Deno.exitCode = 1;
    });
}
