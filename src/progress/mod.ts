/**
 * Progress on stderr, one home for downloads and renders: one {@linkcode Progress} that producers
 * feed plain data (a task's label, unit and total; counts done; parts such as files), drawn as
 * bars (cli-progress) on a terminal or printed as periodic plain lines otherwise (Slurm logs),
 * with one size and one duration format.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProgress, formatBytes, formatDuration } from "./mod.ts";
 *
 * const lines: string[] = []; // stderr when no `write` is given
 * const progress = createProgress({ mode: "lines", write: (line) => lines.push(line) });
 * progress.start({ label: "gsm8k rows 0..100", unit: "rows", total: 100 });
 * progress.update({ done: 1, counts: { ok: 1, skipped: 0, failed: 0 } });
 * progress.log("gsm8k row 7: skipped: answer too long");
 * progress.stop();
 * assert.ok(lines.includes("gsm8k row 7: skipped: answer too long"));
 * assert.equal(formatBytes(1_500_000), "1.50 MB");
 * assert.equal(formatDuration(185), "3m05s");
 * ```
 *
 * @module
 */
export { formatBytes, formatDuration } from "./_format.ts";
export {
  type BarStream,
  createProgress,
  type Progress,
  type ProgressOptions,
  type ProgressPart,
  type ProgressTask,
  type ProgressUpdate,
} from "./_progress.ts";
