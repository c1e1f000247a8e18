import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import { type LayoutOptions, type RevealPlan, revealPlan } from "../layout/mod.ts";
import { fontMeasure, paintFrames, type PaintOptions } from "../paint/mod.ts";
import { encodeFrames, type EncodeOptions } from "../encode/mod.ts";
import { splitSentences } from "../text/mod.ts";
import type { PlannedSample, SampleRenderer } from "./shard.ts";
import type { RenderPool } from "./render_pool.ts";
import type { SilentVideoOptions } from "./job_types.ts";

/** Options of silent word-by-word videos. */
export interface SilentOptions {
  layout?: LayoutOptions;
  paint?: PaintOptions;
  /** Frames per second (19.3). */
  fps?: number;
  encode?: Omit<EncodeOptions, "width" | "height" | "pixelFormat" | "fps">;
  /** Paint and encode on these worker threads instead of this one. */
  pool?: RenderPool;
}

/** Paint a reveal plan and encode it to `outPath` (atomically). */
export async function renderSilentVideo(
  plan: RevealPlan,
  outPath: string,
  options: SilentVideoOptions,
): Promise<{ bytes: number }> {
  const painted = paintFrames(plan, options.paint);
  const result = await encodeFrames(painted.frames, outPath, {
    ...options.encode,
    width: painted.width,
    height: painted.height,
    pixelFormat: painted.pixelFormat,
    fps: options.fps,
  });
  return { bytes: result.bytes };
}

/** The renderer of silent videos: layout plan → painted frames → ffmpeg. */
export function silentRenderer(
  spec: DatasetSpec,
  options: SilentOptions = {},
): SampleRenderer<RevealPlan> {
  const fps = options.fps ?? 19.3;
  const layout: LayoutOptions = {
    measure: fontMeasure,
    ...options.layout,
    kind: spec.kind,
    language: spec.language,
  };
  return {
    kind: "silent",
    plan(sample: Sample): Promise<PlannedSample<RevealPlan> | { skip: string }> {
      const plan = revealPlan(
        splitSentences(sample.prompt, spec.language),
        splitSentences(sample.response, spec.language),
        layout,
      );
      if ("skip" in plan) return Promise.resolve(plan);
      const duration = Number((plan.frames.length / fps).toFixed(3));
      return Promise.resolve({
        state: plan,
        values: { prompt: plan.promptText, response: plan.responseText, seconds: duration },
        fields: {
          prompt_text: plan.promptText,
          response_text: plan.responseText,
          frames: plan.frames.length,
          fps,
          width: plan.width,
          height: plan.height,
          duration,
          font_size: plan.fontSize,
          pages: plan.pages.length,
          pace: plan.pace,
          units_per_frame: plan.unitsPerFrame,
          reveal_end_frame: plan.revealEndFrame,
          ...(plan.truncated ? { truncated: true } : {}),
        },
      });
    },
    async render(planned, outPath) {
      const video: SilentVideoOptions = { fps, paint: options.paint, encode: options.encode };
      return options.pool
        ? await options.pool.run({ kind: "silent", plan: planned.state, options: video }, outPath)
        : await renderSilentVideo(planned.state, outPath, video);
    },
  };
}
