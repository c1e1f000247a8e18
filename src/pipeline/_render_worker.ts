/**
 * Worker thread entry of the render pool: paints and encodes the jobs it is sent, several at once
 * (each with its own canvas and ffmpeg), and answers each with its byte count or a one-line error.
 *
 * @module
 */
import type { RenderJob } from "./_job_types.ts";
import { runRenderJob } from "./_render_jobs.ts";
import { firstLine } from "../errors/mod.ts";
import { stopProcesses } from "../process/mod.ts";

/** A job as posted by the pool. */
interface JobMessage {
  id: number;
  job: RenderJob;
  outPath: string;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<JobMessage | { kill: true }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event: MessageEvent<JobMessage | { kill: true }>) => {
  if ("kill" in event.data) return void stopProcesses(new Error("interrupted"));
  const { id, job, outPath } = event.data;
  try {
    const { bytes } = await runRenderJob(job, outPath);
    scope.postMessage({ id, bytes });
  } catch (error) {
    // The name travels too: a full disk must stop the run, not count as one failed video.
    const name = error instanceof Error ? error.name : "Error";
    scope.postMessage({ id, error: firstLine(error), name });
  }
};
