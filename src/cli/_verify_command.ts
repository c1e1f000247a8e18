import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
} from "@commander-js/extra-typings";
import { formatReport, verifyDataset } from "../verify/mod.ts";

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

/** `videoword verify BASE/DATASET`: probe every listed video, report, fix and merge. */
export function verifyCommand(): CommandUnknownOpts {
  return new Command("verify")
    .description(
      "Check every video the manifests of BASE/DATASET (or BASE/DATASET_audio) list; report " +
        "missing, corrupt, duplicate and orphaned files and videos whose fingerprint is not their " +
        "line's. Exit code 1 when problems are found.",
    )
    .argument("<dir>", "dataset output folder, e.g. output/gsm8k")
    .option("--fix", "rewrite manifests without bad lines and delete corrupt files")
    .option("--merge", "write DATASET_MODE_video_data.jsonl per mode, in row order")
    .option("--jobs <n>", "parallel ffprobe processes", positive)
    .option("--json", "print the report as JSON")
    .action(async (dir, options) => {
      const report = await verifyDataset(dir, {
        fix: options.fix,
        merge: options.merge,
        concurrency: options.jobs,
      });
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
      if (report.findings.length > 0 && !options.fix) Deno.exitCode = 1;
    });
}
