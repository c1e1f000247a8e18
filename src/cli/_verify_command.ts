import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { addTableOptions, verifySettings } from "../options/mod.ts";
import { formatReport, verifyDataset } from "../verify/mod.ts";
import { addPrintConfig, resolveTableOptions } from "./_render_options.ts";

/** `verify`'s actions: what it does, as opposed to the settings it does it with. */
interface VerifyActions {
  fix?: true;
  merge?: true;
  json?: true;
}

/** `videoword verify BASE/DATASET`: probe every listed video, report, fix and merge. */
export function verifyCommand(): CommandUnknownOpts {
  const command = new Command("verify")
    .description(
      "Check every video the manifests of BASE/DATASET (or BASE/DATASET_audio) list; report " +
        "missing, corrupt, duplicate and orphaned files and videos whose fingerprint is not their " +
        "line's. Exit code 1 when problems are found.",
    )
    .argument("<dir>", "dataset output folder, e.g. output/gsm8k")
    .option("--fix", "rewrite manifests without bad lines and delete corrupt files")
    .option("--merge", "write DATASET_MODE_video_data.jsonl per mode, in row order")
    .option("--json", "print the report as JSON");
  addTableOptions(command, "verify");
  addPrintConfig(command);
  return command.action(async (dir, _options, self) => {
    const actions = self.opts() as VerifyActions;
    const values = await resolveTableOptions("verify", self);
    if (!values) return; // --print-config
    const fix = actions.fix === true;
    const report = await verifyDataset(
      dir,
      verifySettings(values, { fix, merge: actions.merge === true }),
    );
    console.log(actions.json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (report.findings.length > 0 && !fix) Deno.exitCode = 1;
  });
}
