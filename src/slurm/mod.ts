/**
 * Slurm support for `videoword submit`: plan arithmetic, script generation, cluster calls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planArray } from "./mod.ts";
 *
 * const plan = planArray(7473, { samplesPerNode: 1000, nodes: null, maxArraySize: 1001 });
 * assert.equal(plan.rows_per_task, 1000);
 * assert.equal(plan.task_count, 8); // every row covered exactly once
 * ```
 *
 * @module
 */
export {
  type ArrayPart,
  type ArrayPlan,
  type ArrayPlanOptions,
  isSubmitTask,
  partTasks,
  planArray,
  SUBMIT_TASKS,
  type SubmitTask,
  taskCommand,
  type TaskRange,
  taskRange,
} from "./_plan.ts";
export { sbatchQuote, shellQuote } from "./_quote.ts";
export { type SubmitSettings, TIME_PATTERN } from "./_settings.ts";
export {
  generateScript,
  jobName,
  type JobSpec,
  sbatchOptions,
  type ScriptOptions,
} from "./_script.ts";
export {
  formatDryRun,
  type JobRequest,
  planJobs,
  type PlanJobsOptions,
  type PlannedJob,
} from "./_jobs.ts";
export { selfCommand } from "./_self.ts";
export {
  cancelVideowordJobs,
  listVideowordJobs,
  parseMaxArraySize,
  parseQueue,
  type QueueEntry,
  readMaxArraySize,
  sbatch,
} from "./_cluster.ts";
export {
  formatStatus,
  type JobSummary,
  type ShardProgress,
  shardProgress,
  summariseQueue,
} from "./_status.ts";
