/** Turn (dataset, task, rows) into planned array jobs, and print them for `--dry-run`. */
import { partTasks, planArray, type SubmitTask, type TaskRange } from "./_plan.ts";
import { generateScript, jobName, refuseControlCharacters, sbatchOptions } from "./_script.ts";
import type { SubmitSettings } from "./_settings.ts";
import { splitOutputName } from "../paths/mod.ts";

/** One job `submit` would hand to `sbatch` (the `--dry-run --json` shape). */
export interface PlannedJob {
  name: string;
  dataset: string;
  task: SubmitTask;
  array_size: number;
  /** Global task number of this job's array index 0 (non-zero only for split arrays). */
  offset: number;
  rows_per_task: number;
  total_rows: number;
  tasks: TaskRange[];
  /** `sbatch` options (the same as the script's `#SBATCH` lines). */
  sbatch_args: string[];
  script: string;
}

/** A dataset × task to submit. */
export interface JobRequest {
  dataset: string;
  /**
   * The split rendered; other than train it names the job (`vwd_gsm8k-test_render`), so a
   * split's array is never one of another split's.
   * @default {"train"}
   */
  split?: string;
  task: SubmitTask;
  totalRows: number;
}

/** Shared inputs of {@link planJobs}. */
export interface PlanJobsOptions {
  settings: SubmitSettings;
  /**
   * The cluster's MaxArraySize.
   * @default {1001}
   */
  maxArraySize?: number;
  /** argv prefix starting videoword (see `selfCommand`). */
  command: string[];
  /** Extra render arguments. */
  extraArgs?: string[];
  /** Absolute job working directory. */
  cwd: string;
}

/** Plan every job of `requests`. */
export function planJobs(requests: JobRequest[], options: PlanJobsOptions): PlannedJob[] {
  refuseControlCharacters(options);
  const jobs: PlannedJob[] = [];
  for (const request of requests) {
    const plan = planArray(request.totalRows, {
      samplesPerNode: options.settings.samplesPerNode,
      nodes: options.settings.nodes,
      maxArraySize: options.maxArraySize,
    });
    for (const [index, part] of plan.parts.entries()) {
      const name = jobName(splitOutputName(request.dataset, request.split), request.task, {
        part: index,
        partCount: plan.parts.length,
      });
      const spec = { name, dataset: request.dataset, task: request.task, plan, part };
      jobs.push({
        name,
        dataset: request.dataset,
        task: request.task,
        array_size: part.array_size,
        offset: part.offset,
        rows_per_task: plan.rows_per_task,
        total_rows: plan.total_rows,
        tasks: partTasks(plan, part),
        sbatch_args: sbatchOptions(spec, options.settings, options.cwd),
        script: generateScript(spec, options),
      });
    }
  }
  return jobs;
}

function rows(task: TaskRange): string {
  return `rows ${task.start_idx}-${task.start_idx + task.num_samples - 1} (${task.num_samples})`;
}

/** Human-readable `--dry-run` text: per job its range, the first and last task, and the script. */
export function formatDryRun(jobs: PlannedJob[]): string {
  const out: string[] = [];
  for (const job of jobs) {
    const first = job.tasks[0];
    const last = job.tasks[job.tasks.length - 1];
    out.push(
      `job ${job.name}: dataset ${job.dataset}, task ${job.task}`,
      `  array 0-${job.array_size - 1} (${job.array_size} tasks), ${job.rows_per_task} rows per ` +
        `task, ${job.total_rows} rows in total` +
        (job.offset ? `, global task offset ${job.offset}` : ""),
      `  task ${first.id}: ${rows(first)}`,
      ...(last.id !== first.id ? [`  task ${last.id}: ${rows(last)}`] : []),
      "  script:",
      ...job.script.trimEnd().split("\n").map((line) => `    ${line}`),
      "",
    );
  }
  out.push(`${jobs.length} job(s); dry run: nothing submitted.`);
  return out.join("\n");
}
