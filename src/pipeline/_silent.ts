import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import {
  defaultHoldFrames,
  LAYOUT_DEFAULTS,
  type LayoutOptions,
  type LayoutSettings,
  type RevealPlan,
  revealPlan,
} from "../layout/mod.ts";
import { fontMeasure, PAINT_DEFAULTS, paintFrames, type PaintSettings } from "../paint/mod.ts";
import { type EncoderSettings, encoderSettings, encodeVideo } from "../encode/mod.ts";
import { withDefaults } from "../defaults/mod.ts";
import { splitSentences } from "../text/mod.ts";
import type { PlannedSample, SampleRenderer } from "./_shard.ts";
import type { RenderPool } from "./_render_pool.ts";
import type { SilentVideoOptions } from "./_job_types.ts";
import {
  fingerprintEncoder,
  type FingerprintInput,
  type FingerprintLayout,
  videoFingerprint,
} from "./_fingerprint.ts";

/** Settings of silent word-by-word videos, resolved by the command (every field set). */
export interface SilentSettings {
  layout: LayoutSettings;
  paint: PaintSettings;
  /**
   * Frames per second.
   * @default {19.3}
   */
  fps: number;
  encode: EncoderSettings;
}

/** The silent defaults the layers below do not own. */
export const SILENT_DEFAULTS: Readonly<Pick<SilentSettings, "fps">> = { fps: 19.3 };

/**
 * What `silentRenderer` takes: {@link SilentSettings} (what a command resolves), or any part of
 * them (direct callers), the rest at the owning layer's defaults.
 */
export interface SilentOptions {
  layout?: Partial<LayoutSettings>;
  paint?: Partial<PaintSettings>;
  /** @default {19.3} */
  fps?: number;
  encode?: Partial<EncoderSettings>;
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
  const result = await encodeVideo(painted, outPath, {
    ...options.encode,
    fps: options.fps,
    frameCount: plan.frames.length,
    fingerprint: options.fingerprint,
  });
  return { bytes: result.bytes };
}

/** The renderer of silent videos: layout plan → painted frames → encoder. */
export function silentRenderer(
  spec: DatasetSpec,
  options: SilentOptions = {},
): SampleRenderer<RevealPlan> {
  const { fps } = withDefaults(SILENT_DEFAULTS, options);
  // Plain data for the worker threads: every field set.
  const video: SilentVideoOptions = {
    fps,
    paint: withDefaults(PAINT_DEFAULTS, options.paint ?? {}),
    encode: encoderSettings(options.encode),
  };
  const layout: LayoutOptions = {
    measure: fontMeasure,
    ...options.layout,
    kind: spec.kind,
    language: spec.language,
  };
  const planned = withDefaults(LAYOUT_DEFAULTS, layout);
  const fingerprintLayout: FingerprintLayout = {
    width: planned.width,
    height: planned.height,
    margin: planned.margin,
    fontSize: planned.fontSize,
    lineHeight: planned.lineHeight,
    frames: planned.frames,
    longPrompt: planned.longPrompt,
    promptPageFrames: planned.promptPageFrames,
    pace: planned.pace,
    holdFrames: layout.holdFrames ?? defaultHoldFrames(planned.frames),
    maxUnitsPerFrame: planned.maxUnitsPerFrame,
    minFontSize: planned.minFontSize,
    separatorThickness: planned.separatorThickness,
    separatorGap: planned.separatorGap,
  };
  // What every silent video of this renderer shares; the row's text completes it.
  const shared: Omit<FingerprintInput, "prompt" | "response"> = {
    kind: "silent",
    textKind: spec.kind,
    language: spec.language,
    fps,
    width: planned.width,
    height: planned.height,
    layout: fingerprintLayout,
    paint: video.paint,
    narration: null,
    encode: fingerprintEncoder(video.encode),
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
      const fingerprint = videoFingerprint({
        ...shared,
        prompt: sample.prompt,
        response: sample.response,
      });
      return Promise.resolve({
        state: plan,
        fingerprint,
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
          truncated: plan.truncated,
        },
      });
    },
    async render(planned, outPath) {
      const job = { ...video, fingerprint: planned.fingerprint };
      return options.pool
        ? await options.pool.run({ kind: "silent", plan: planned.state, options: job }, outPath)
        : await renderSilentVideo(planned.state, outPath, job);
    },
  };
}
