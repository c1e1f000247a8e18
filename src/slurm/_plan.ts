/** Pure arithmetic of splitting a dataset's rows over Slurm array tasks. */

/** The tasks `videoword submit` knows (audio tasks run `audio-render`). */
export const SUBMIT_TASKS = [
  "inference",
  "rendering",
  "both",
  "audio-inference",
  "audio-rendering",
  "audio-both",
] as const;

/** One submit task. */
export type SubmitTask = typeof SUBMIT_TASKS[number];

/** Is `value` a known submit task? */
export function isSubmitTask(value: string): value is SubmitTask {
  return (SUBMIT_TASKS as readonly string[]).includes(value);
}

/** Sub-command and `--mode` a task runs. */
export function taskCommand(task: SubmitTask): { command: string; mode: string; audio: boolean } {
  const audio = task.startsWith("audio-");
  return {
    command: audio ? "audio-render" : "render",
    mode: audio ? task.slice("audio-".length) : task,
    audio,
  };
}

/** Inputs of {@link planArray}. */
export interface ArrayPlanOptions {
  /** Wanted rows per array task. */
  samplesPerNode: number;
  /** Cap on the number of array tasks (`null`/absent: none); rows per task grow to keep coverage. */
  nodes?: number | null;
  /** The cluster's `MaxArraySize`: an array holds indices `0..MaxArraySize-1`. */
  maxArraySize?: number;
}

/** One array task's rows. */
export interface TaskRange {
  /** Array task id within its job (`SLURM_ARRAY_TASK_ID`). */
  id: number;
  start_idx: number;
  num_samples: number;
}

/** One `sbatch` submission of an array. */
export interface ArrayPart {
  /** Global task number of this part's array index 0. */
  offset: number;
  /** Number of array tasks (`--array=0-(array_size-1)`). */
  array_size: number;
}

/** How `total_rows` rows are split. */
export interface ArrayPlan {
  total_rows: number;
  rows_per_task: number;
  /** Array tasks over all parts. */
  task_count: number;
  parts: ArrayPart[];
}

function positiveInt(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${value}`);
  }
}

/** Slurm's default MaxArraySize (array indices 0..1000). */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/**
 * Split rows `0..totalRows-1` into array tasks of `samplesPerNode` rows (more when `nodes` caps
 * the count), and the tasks into arrays of at most `maxArraySize`. Every row lands in exactly one
 * task.
 */
export function planArray(totalRows: number, options: ArrayPlanOptions): ArrayPlan {
  positiveInt("total rows", totalRows);
  positiveInt("samples per node", options.samplesPerNode);
  const maxArraySize = options.maxArraySize ?? DEFAULT_MAX_ARRAY_SIZE;
  positiveInt("MaxArraySize", maxArraySize);
  let rowsPerTask = Math.min(options.samplesPerNode, totalRows);
  if (options.nodes !== undefined && options.nodes !== null) {
    positiveInt("nodes", options.nodes);
    rowsPerTask = Math.max(rowsPerTask, Math.ceil(totalRows / options.nodes));
  }
  const taskCount = Math.ceil(totalRows / rowsPerTask);
  const parts: ArrayPart[] = [];
  for (let offset = 0; offset < taskCount; offset += maxArraySize) {
    parts.push({ offset, array_size: Math.min(maxArraySize, taskCount - offset) });
  }
  return { total_rows: totalRows, rows_per_task: rowsPerTask, task_count: taskCount, parts };
}

/** Rows of array task `id` of `part` (mirrors the arithmetic in the generated script). */
export function taskRange(plan: ArrayPlan, part: ArrayPart, id: number): TaskRange {
  const start = (part.offset + id) * plan.rows_per_task;
  return {
    id,
    start_idx: start,
    num_samples: Math.min(plan.rows_per_task, plan.total_rows - start),
  };
}

/** All task ranges of `part`. */
export function partTasks(plan: ArrayPlan, part: ArrayPart): TaskRange[] {
  return Array.from({ length: part.array_size }, (_, id) => taskRange(plan, part, id));
}
