import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { loadConfigFile } from "../config/mod.ts";
import { DATASET_KEYS, getDataset } from "../datasets/mod.ts";
import { readDownloadManifest } from "../hub/mod.ts";
import {
  addTableOptions,
  givenFlags,
  resolveOptions,
  type SubmitOptionValues,
  submitSettings,
} from "../options/mod.ts";
import {
  cancelVideowordJobs,
  formatDryRun,
  formatStatus,
  isSubmitTask,
  type JobRequest,
  listVideowordJobs,
  planJobs,
  readMaxArraySize,
  sbatch,
  selfCommand,
  shardProgress,
  SUBMIT_TASKS,
  type SubmitSettings,
  type SubmitTask,
  summariseQueue,
} from "../slurm/mod.ts";
import { printConfig } from "./_render_options.ts";

/** `submit`'s actions: what it does, as opposed to the settings it does it with. */
interface SubmitActions {
  dryRun?: true;
  json?: true;
  printConfig?: true;
  status?: true;
  cancel?: true;
}

/** Split operands into DATASET, TASK and the render arguments that follow (after `--`). */
function splitOperands(operands: string[]): { dataset?: string; task?: string; extra: string[] } {
  const firstFlag = operands.findIndex((arg) => arg.startsWith("-"));
  const positional = firstFlag < 0 ? operands : operands.slice(0, firstFlag);
  const extra = firstFlag < 0 ? [] : operands.slice(firstFlag);
  if (positional.length > 2) {
    throw new Error(`unexpected argument '${positional[2]}' (usage: submit [DATASET] [TASK])`);
  }
  return { dataset: positional[0], task: positional[1], extra };
}

async function totalRows(
  dataset: string,
  settings: SubmitSettings,
  override: number | undefined,
): Promise<number | string> {
  if (override !== undefined) return override;
  const manifest = await readDownloadManifest(settings.dataDir, dataset);
  if (!manifest) {
    return `${dataset}: no download manifest in ${join(settings.dataDir, dataset)} ` +
      `(run \`videoword download ${dataset}\` first, or pass --total-rows N)`;
  }
  if (manifest.rowCount < 1) return `${dataset}: the download has no rows`;
  return manifest.rowCount;
}

/** `videoword submit`: one Slurm array job per dataset × task, plus `--status` / `--cancel`. */
export function submitCommand(): CommandUnknownOpts {
  const command = new Command("submit")
    .description(
      "Submit Slurm array jobs rendering DATASET|all with TASK|all " +
        `(${SUBMIT_TASKS.join(", ")}; default both). Arguments after -- go to render.`,
    )
    .argument("[args...]", "DATASET|all [TASK|all] [-- render arguments]")
    .option("--dry-run", "print the plan and scripts, submit nothing")
    .option("--json", "print the plan (or status) as JSON")
    .option("--print-config", "print the resolved options (and where each came from) and exit")
    .option("--status", "summarise the queued vwd_* jobs and the shards on disk")
    .option("--cancel", "cancel your vwd_* jobs");
  addTableOptions(command, "submit");
  return command.action(async (operands, _options, self) => {
    const options = self.opts() as SubmitActions;
    const flags = givenFlags<SubmitOptionValues>(self);
    const loaded = await loadConfigFile(flags.config);
    const resolved = resolveOptions("submit", {
      file: loaded.values,
      env: Deno.env.toObject(),
      flags,
    });
    if (options.printConfig) {
      printConfig(loaded.config.source, resolved);
      return;
    }
    const { values } = resolved;
    const settings = submitSettings(values, Deno.cwd());
    if (options.status) {
      // Without a reachable queue the shard counts on disk are still worth showing.
      const queue = await listVideowordJobs().catch((error: Error) => {
        console.error(`videoword: ${error.message}`);
        return [];
      });
      const jobs = summariseQueue(queue);
      const shards = await shardProgress(settings.baseDir);
      console.log(
        options.json ? JSON.stringify({ jobs, shards }, null, 2) : formatStatus(jobs, shards),
      );
      return;
    }
    if (options.cancel) {
      const ids = await cancelVideowordJobs();
      console.log(ids.length ? `cancelled jobs ${ids.join(" ")}` : "no vwd_* jobs to cancel");
      return;
    }
    const { dataset, task, extra } = splitOperands(operands);
    if (!dataset) throw new Error("which dataset? usage: submit DATASET|all [TASK|all]");
    const datasets = dataset === "all" ? [...DATASET_KEYS] : [getDataset(dataset).key];
    const taskName = task ?? "both";
    if (taskName !== "all" && !isSubmitTask(taskName)) {
      throw new Error(`unknown task '${taskName}' (valid: ${SUBMIT_TASKS.join(", ")}, all)`);
    }
    const tasks: SubmitTask[] = taskName === "all" ? [...SUBMIT_TASKS] : [taskName];
    const requests: JobRequest[] = [];
    const problems: string[] = [];
    for (const key of datasets) {
      const rows = await totalRows(key, settings, values.totalRows);
      if (typeof rows === "string") problems.push(rows);
      else for (const t of tasks) requests.push({ dataset: key, task: t, totalRows: rows });
    }
    if (problems.length > 0) throw new Error(problems.join("; "));
    const extraArgs = [...(values.source ? ["--source", values.source] : []), ...extra];
    const jobs = planJobs(requests, {
      settings,
      maxArraySize: values.maxArraySize ?? await readMaxArraySize(),
      command: selfCommand(),
      extraArgs,
      cwd: Deno.cwd(),
    });
    if (options.dryRun) {
      console.log(options.json ? JSON.stringify({ jobs }, null, 2) : formatDryRun(jobs));
      return;
    }
    await Deno.mkdir(settings.logsDir, { recursive: true });
    const submitted = [];
    for (const job of jobs) {
      // Keep the script next to the logs: `sbatch --array=N` on it re-runs one shard.
      const scriptPath = join(settings.logsDir, `${job.name}.sbatch`);
      await writeFileAtomic(scriptPath, job.script);
      const jobId = await sbatch(scriptPath, job.sbatch_args);
      submitted.push({ job_id: jobId, ...job });
      if (!options.json) {
        console.log(
          `submitted ${job.name} as job ${jobId}: array 0-${job.array_size - 1}, ` +
            `${job.rows_per_task} rows per task (script ${scriptPath})`,
        );
      }
    }
    if (options.json) console.log(JSON.stringify({ jobs: submitted }, null, 2));
    else console.log(`logs: ${settings.logsDir}; follow with \`videoword submit --status\``);
  });
}
