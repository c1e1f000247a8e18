import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { getDataset, hasSplit, listDatasets, resolveDatasetFiles } from "../datasets/mod.ts";
import { countRows } from "../readers/mod.ts";
import { DEFAULT_SPLIT, splitOutputName } from "../paths/mod.ts";
import { readDownloadManifest } from "../hub/mod.ts";
import { addTableOptions, submitSettings } from "../options/mod.ts";
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
import { addPrintConfig, resolveTableOptions } from "./_render_options.ts";

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

async function totalRows(dataset: string, settings: SubmitSettings): Promise<number | string> {
  if (settings.totalRows !== undefined) return settings.totalRows;
  const { split } = settings;
  const spec = getDataset(dataset);
  const name = splitOutputName(dataset, split);
  if (spec.repo === null) {
    // Local files of a declared dataset: counted where they are.
    const rows = await countRows(await resolveDatasetFiles(spec, settings.dataDir, { split }));
    return rows < 1 ? `${name}: its files have no rows` : rows;
  }
  const manifest = await readDownloadManifest(settings.dataDir, name);
  if (!manifest) {
    const flag = split === DEFAULT_SPLIT ? "" : ` --split ${split}`;
    return `${name}: no download manifest in ${join(settings.dataDir, name)} ` +
      `(run \`videoword download ${dataset}${flag}\` first, or pass --total-rows N)`;
  }
  if (manifest.rowCount < 1) return `${name}: the download has no rows`;
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
    .option("--status", "summarise the queued vwd_* jobs and the shards on disk")
    .option("--cancel", "cancel your vwd_* jobs");
  addTableOptions(command, "submit");
  addPrintConfig(command);
  return command.action(async (operands, _options, self) => {
    const options = self.opts() as SubmitActions;
    const values = await resolveTableOptions("submit", self);
    if (!values) return; // --print-config
    // One type from the rows to the script generator; only the paths change (made absolute).
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
    const split = settings.split;
    // `all`: the built-ins (each downloaded with `download all`) and the declared datasets.
    const datasets = dataset === "all"
      ? listDatasets().filter((s) => hasSplit(s, split)).map((s) => s.key)
      : [getDataset(dataset).key];
    const taskName = task ?? "both";
    if (taskName !== "all" && !isSubmitTask(taskName)) {
      throw new Error(`unknown task '${taskName}' (valid: ${SUBMIT_TASKS.join(", ")}, all)`);
    }
    const tasks: SubmitTask[] = taskName === "all" ? [...SUBMIT_TASKS] : [taskName];
    const requests: JobRequest[] = [];
    const problems: string[] = [];
    for (const key of datasets) {
      const rows = await totalRows(key, settings);
      if (typeof rows === "string") problems.push(rows);
      else for (const t of tasks) requests.push({ dataset: key, split, task: t, totalRows: rows });
    }
    if (problems.length > 0) throw new Error(problems.join("; "));
    const extraArgs = [
      // The tasks read the same settings file (and so know the same declared datasets).
      ...(settings.config ? ["--config", resolve(settings.config)] : []),
      ...(settings.source ? ["--source", settings.source] : []),
      ...(split === DEFAULT_SPLIT ? [] : ["--split", split]),
      ...extra,
    ];
    const jobs = planJobs(requests, {
      settings,
      maxArraySize: settings.maxArraySize ?? await readMaxArraySize(),
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
      // Keep the script next to the logs, named by its job as they are (a second submit never
      // overwrites the first's): `sbatch --array=N` on it re-runs one shard of that job.
      const pending = join(
        settings.logsDir,
        `${job.name}_pending_${Date.now()}_${Deno.pid}.sbatch`,
      );
      await writeFileAtomic(pending, job.script);
      let jobId: string;
      try {
        jobId = await sbatch(pending, job.sbatch_args);
      } catch (error) {
        await Deno.remove(pending).catch(() => {});
        throw error;
      }
      // sbatch keeps its own copy of the script, so the file can take the job's name now.
      let scriptPath = join(settings.logsDir, `${job.name}_${jobId}.sbatch`);
      await Deno.rename(pending, scriptPath).catch(() => scriptPath = pending);
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
