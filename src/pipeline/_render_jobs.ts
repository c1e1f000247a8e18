import { renderSilentVideo } from "./_silent.ts";
import { renderNarratedVideo } from "./_narrated_video.ts";
import type { RenderJob } from "./_job_types.ts";

/** Run a render job on this thread: paint its frames and encode them to `outPath`. */
export async function runRenderJob(job: RenderJob, outPath: string): Promise<{ bytes: number }> {
  return job.kind === "silent"
    ? await renderSilentVideo(job.plan, outPath, job.options)
    : await renderNarratedVideo(job.state, outPath, job.options);
}
