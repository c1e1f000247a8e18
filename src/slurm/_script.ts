/** Build the `sbatch` script and argument list of one array job. */
import { join } from "node:path";
import { type ArrayPart, type ArrayPlan, type SubmitTask, taskCommand } from "./_plan.ts";
import { sbatchQuote, shellQuote } from "./_quote.ts";
import type { SubmitSettings } from "./_settings.ts";

/** Everything one array job needs. */
export interface JobSpec {
  /** `vwd_DATASET_TASK` (plus `_partN` when the array is split). */
  name: string;
  dataset: string;
  task: SubmitTask;
  plan: ArrayPlan;
  part: ArrayPart;
}

/** How the script runs videoword. */
export interface ScriptOptions {
  settings: SubmitSettings;
  /** Program and leading arguments that start videoword (see `selfCommand`). */
  command: string[];
  /** Extra arguments passed through to render. */
  extraArgs?: string[];
  /** Working directory of the job (absolute). */
  cwd: string;
}

/** `vwd_DATASET_TASK`, with `_partN` (1-based) when `partCount` > 1. */
export function jobName(
  dataset: string,
  task: SubmitTask,
  options: { part?: number; partCount?: number } = {},
): string {
  const base = `vwd_${dataset}_${task}`;
  return (options.partCount ?? 1) > 1 ? `${base}_part${(options.part ?? 0) + 1}` : base;
}

/**
 * `%` doubled: sbatch expands `%A`, `%j`, `%x`... in `--output` / `--error`, so a folder named
 * `run%A` would become a folder that does not exist and every task would fail with no log.
 */
export function escapeSlurmPattern(path: string): string {
  return path.replaceAll("%", "%%");
}

/** The sbatch options of a job as `--key=value` strings (also written as `#SBATCH` lines). */
export function sbatchOptions(job: JobSpec, settings: SubmitSettings, cwd: string): string[] {
  const options = [
    `--job-name=${job.name}`,
    `--array=0-${job.part.array_size - 1}`,
    `--output=${join(escapeSlurmPattern(settings.logsDir), "%x_%A_%a.out")}`,
    `--error=${join(escapeSlurmPattern(settings.logsDir), "%x_%A_%a.err")}`,
    "--nodes=1",
    "--ntasks=1",
    `--cpus-per-task=${settings.cpusPerTask}`,
    `--time=${settings.time}`,
    `--chdir=${cwd}`,
  ];
  if (settings.partition) options.push(`--partition=${settings.partition}`);
  if (settings.mem) options.push(`--mem=${settings.mem}`);
  return [...options, ...settings.sbatchArgs];
}

function directive(option: string): string {
  const eq = option.indexOf("=");
  if (eq < 0) return `#SBATCH ${sbatchQuote(option)}`;
  return `#SBATCH ${option.slice(0, eq)}=${sbatchQuote(option.slice(eq + 1))}`;
}

// C0 and C1 controls (newline and tab included) and the Unicode line/paragraph separators.
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Throw a one-line Error naming the option if any value that goes into the script holds a
 * control character: a newline would end the `#SBATCH` header early and inject a command.
 */
export function refuseControlCharacters(options: ScriptOptions): void {
  const s = options.settings;
  const values: [string, string | null][] = [
    ["--base-dir", s.baseDir],
    ["--data-dir", s.dataDir],
    ["--partition", s.partition],
    ["--time", s.time],
    ["slurm.mem", s.mem],
    ["slurm.logs_dir", s.logsDir],
    ...s.sbatchArgs.map((arg, i): [string, string] => [`slurm.sbatch_args[${i}]`, arg]),
    ["the working directory", options.cwd],
    ...options.command.map((arg, i): [string, string] => [
      i === 0 ? "the videoword program path" : `videoword's start argument ${i}`,
      arg,
    ]),
    ...(options.extraArgs ?? []).map((arg, i): [string, string] => [
      `render argument ${i + 1} (after --)`,
      arg,
    ]),
  ];
  for (const [name, value] of values) {
    const match = value === null ? null : CONTROL_CHARACTER.exec(value);
    if (!match) continue;
    const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new Error(
      `${name} contains a control character (U+${code}, e.g. a newline or tab), which would ` +
        `break the generated sbatch script; remove it`,
    );
  }
}

/** The bash script every array task of `job` runs; refuses control characters in any value. */
export function generateScript(job: JobSpec, options: ScriptOptions): string {
  refuseControlCharacters(options);
  const { command, mode } = taskCommand(job.task);
  const s = options.settings;
  const fixed = [
    ...options.command,
    command,
    job.dataset,
    "--mode",
    mode,
    "--base-dir",
    s.baseDir,
    "--data-dir",
    s.dataDir,
  ].map(shellQuote);
  const extra = (options.extraArgs ?? []).map(shellQuote);
  const last = job.part.offset + job.part.array_size - 1;
  return [
    "#!/bin/bash",
    ...sbatchOptions(job, s, options.cwd).map(directive),
    `# videoword ${job.dataset} ${job.task}: ${job.plan.total_rows} rows, ` +
    `${job.plan.rows_per_task} per task; this job runs tasks ${job.part.offset}-${last}.`,
    "set -euo pipefail",
    `OFFSET=${job.part.offset}`,
    `ROWS_PER_TASK=${job.plan.rows_per_task}`,
    `TOTAL_ROWS=${job.plan.total_rows}`,
    ': "${SLURM_ARRAY_TASK_ID:?run this script with sbatch (it is a Slurm array job)}"',
    "START_IDX=$(( (OFFSET + SLURM_ARRAY_TASK_ID) * ROWS_PER_TASK ))",
    "NUM_SAMPLES=$(( TOTAL_ROWS - START_IDX ))",
    "if (( NUM_SAMPLES > ROWS_PER_TASK )); then NUM_SAMPLES=$ROWS_PER_TASK; fi",
    'if (( NUM_SAMPLES <= 0 )); then echo "videoword: no rows for this task"; exit 0; fi',
    'WORKERS="${SLURM_CPUS_PER_TASK:-1}"',
    'echo "videoword: rows $START_IDX..$(( START_IDX + NUM_SAMPLES - 1 )) on $(hostname)"',
    [
      "exec",
      ...fixed,
      '--start-idx "$START_IDX" --num-samples "$NUM_SAMPLES" --num-workers "$WORKERS"',
      ...extra,
    ].join(" "),
    "",
  ].join("\n");
}
