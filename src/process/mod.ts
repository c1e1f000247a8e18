/**
 * The one way videoword starts a subprocess (ffmpeg, ffprobe, espeak-ng, Slurm's tools): an
 * argument array, never a shell; optional stdin bytes or stream; a time limit and an
 * AbortSignal that kill the child; the same missing-binary message everywhere; one-line errors
 * ending in the child's stderr tail. Every running child is tracked, so an interrupted run can
 * kill them all with `killRunningProcesses`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTool, runChecked } from "./mod.ts";
 *
 * await checkTool("ffmpeg"); // throws "ffmpeg not found ('ffmpeg'): install it …" when missing
 * const { stdout } = await runChecked("ffprobe", ["-version"], { timeoutMs: 10_000 });
 * assert.match(new TextDecoder().decode(stdout), /^ffprobe version/);
 * // A non-zero exit rejects with one line: the program, its exit code and its stderr's tail.
 * await assert.rejects(runChecked("ffprobe", ["/no/such.mp4"]), /ffprobe exited with code 1/);
 * ```
 *
 * @module
 */
export {
  allowProcesses,
  checkTool,
  killRunningProcesses,
  missingToolMessage,
  ProcessError,
  type ProcessFailure,
  runChecked,
  runningProcessCount,
  type RunOptions,
  runProcess,
  type RunResult,
  stderrTail,
  type StdinSource,
  stopProcesses,
} from "./_run.ts";
