import {
  Command,
  type CommandUnknownOpts,
  InvalidArgumentError,
} from "@commander-js/extra-typings";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { DATASET_KEYS, getDataset } from "../datasets/mod.ts";
import { readDownloadManifest } from "../hub/mod.ts";
import {
  cancelVideowordJobs,
  formatDryRun,
  formatStatus,
  isSubmitTask,
  type JobRequest,
  listVideowordJobs,
  mergedConfig,
  planJobs,
  readMaxArraySize,
  resolveSubmitSettings,
  sbatch,
  selfCommand,
  shardProgress,
  SUBMIT_TASKS,
  type SubmitSettings,
  type SubmitTask,
  summariseQueue,
} from "../slurm/mod.ts";

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("must be a positive integer");
  }
  return n;
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
  return new Command("submit")
    .description(
      "Submit Slurm array jobs rendering DATASET|all with TASK|all " +
        `(${SUBMIT_TASKS.join(", ")}; default both). Arguments after -- go to render.`,
    )
    .argument("[args...]", "DATASET|all [TASK|all] [-- render arguments]")
    .option("--dry-run", "print the plan and scripts, submit nothing")
    .option("--json", "print the plan (or status) as JSON")
    .option("--config <path>", "config file (default ./videoword.jsonc if present)")
    .option("--print-config", "print the merged configuration and exit")
    .option("--nodes <n>", "cap on array tasks per job (env NUM_NODES)", positive)
    .option("--samples-per-node <n>", "rows per array task (env SAMPLES_PER_NODE)", positive)
    .option("--cpus-per-task <n>", "CPUs (= render workers) per task (env CPUS_PER_NODE)", positive)
    .option("--partition <p>", "Slurm partition (env PARTITION)")
    .option("--time <limit>", "time limit HH:MM:SS (env TIME_LIMIT)")
    .option("--base-dir <dir>", "output root (env BASE_DIR)")
    .option("--data-dir <dir>", "where `videoword download` put the datasets")
    .option("--total-rows <n>", "rows to cover instead of the download's row count", positive)
    .option("--source <source>", "passed to render as --source (e.g. samples)")
    .option("--max-array-size <n>", "override the cluster's MaxArraySize", positive)
    .option("--status", "summarise the queued vwd_* jobs and the shards on disk")
    .option("--cancel", "cancel your vwd_* jobs")
    .action(async (operands, options) => {
      const config = await loadConfig(options.config);
      const settings = resolveSubmitSettings(config, options);
      if (options.printConfig) {
        console.log(JSON.stringify(mergedConfig(config, settings), null, 2));
        return;
      }
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
        const rows = await totalRows(key, settings, options.totalRows);
        if (typeof rows === "string") problems.push(rows);
        else for (const t of tasks) requests.push({ dataset: key, task: t, totalRows: rows });
      }
      if (problems.length > 0) throw new Error(problems.join("; "));
      const extraArgs = [...(options.source ? ["--source", options.source] : []), ...extra];
      const jobs = planJobs(requests, {
        settings,
        maxArraySize: options.maxArraySize ?? await readMaxArraySize(),
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
