import { encodeVideo } from "../encode/mod.ts";
import { paintNarrated } from "../paint/mod.ts";
import type { NarratedState, NarratedVideoOptions } from "./_job_types.ts";

/** Paint the narrated picture and encode it with its audio to `outPath` (atomically). */
export async function renderNarratedVideo(
  state: NarratedState,
  outPath: string,
  options: NarratedVideoOptions,
): Promise<{ bytes: number }> {
  const { picture, audioPath } = state;
  const painted = paintNarrated(picture);
  let count = 0;
  function* counted(): Generator<Uint8Array> {
    for (const frame of painted.frames) {
      count++;
      yield frame;
    }
  }
  const result = await encodeVideo({ ...painted, frames: counted() }, outPath, {
    ...options.encode,
    fps: options.fps,
    audioPath,
    frameCount: picture.frames,
    fingerprint: options.fingerprint,
  });
  // Audio and video come out equally long only when exactly ceil(duration × fps) frames went in.
  if (count !== picture.frames) {
    await Deno.remove(outPath).catch(() => {});
    throw new Error(`frame count mismatch: painted ${count}, planned ${picture.frames}`);
  }
  return { bytes: result.bytes };
}
