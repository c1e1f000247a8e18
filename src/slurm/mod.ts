/**
 * Slurm support for `videoword submit`: plan arithmetic, script generation, cluster calls.
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
} from "./plan.ts";
export { sbatchQuote, shellQuote } from "./quote.ts";
export {
  ENV_VARIABLES,
  mergedConfig,
  resolveSubmitSettings,
  type SubmitFlags,
  type SubmitSettings,
} from "./settings.ts";
export {
  generateScript,
  jobName,
  type JobSpec,
  sbatchOptions,
  type ScriptOptions,
} from "./script.ts";
export {
  formatDryRun,
  type JobRequest,
  planJobs,
  type PlanJobsOptions,
  type PlannedJob,
} from "./jobs.ts";
export { selfCommand } from "./self.ts";
export {
  cancelVideowordJobs,
  listVideowordJobs,
  parseMaxArraySize,
  parseQueue,
  type QueueEntry,
  readMaxArraySize,
  sbatch,
} from "./cluster.ts";
export {
  formatStatus,
  type JobSummary,
  type ShardProgress,
  shardProgress,
  summariseQueue,
} from "./status.ts";
