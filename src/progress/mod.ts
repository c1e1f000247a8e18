/**
 * Progress on stderr, one home for downloads and renders: bars (cli-progress) on a terminal,
 * periodic plain lines otherwise (Slurm logs), with one size and one duration format.
 *
 * @example
 * ```ts
 * import { formatBytes, formatDuration, startRowProgress } from "./mod.ts";
 *
 * const progress = startRowProgress({ label: "gsm8k rows 0..100", total: 100 });
 * progress.update({ done: 1, rendered: 1, skipped: 0, failed: 0 });
 * progress.stop();
 * formatBytes(1_500_000); // "1.50 MB"
 * formatDuration(185); // "3m05s"
 * ```
 *
 * @module
 */
export { formatBytes, formatDuration } from "./format.ts";
export {
  createProgressReporter,
  type FileProgress,
  type ProgressOptions,
  type ProgressReporter,
} from "./download.ts";
export {
  type RowCounts,
  type RowProgress,
  type RowProgressOptions,
  startRowProgress,
} from "./rows.ts";
