import type { DatasetSpec, Sample } from "../datasets/mod.ts";
import {
  type ConditionalLayoutSetting,
  defaultHoldFrames,
  LAYOUT_DEFAULTS,
  type LayoutOptions,
  layoutRecord,
  type LayoutSettings,
  layoutSettingUsed,
  type RevealPlan,
  revealPlan,
} from "../layout/mod.ts";
import {
  fileFontMeasure,
  fontCatalog,
  fontMeasure,
  fontsCovering,
  PAINT_DEFAULTS,
  paintFrames,
  type PaintLook,
  type PaintSettings,
  SEED_FONT_FILE,
} from "../paint/mod.ts";
import {
  chooseStyle,
  PAPER_AMPLITUDE,
  type SampleStyle,
  STYLE_DEFAULTS,
  styleRecord,
  type StyleSettings,
  VARIED_INK_INSET,
} from "../style/mod.ts";
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
  style: SilentStyleSettings;
  /**
   * Frames per second.
   * @default {19.3}
   */
  fps: number;
  encode: EncoderSettings;
}

/** `--style`, `--style-seed` and `--font-dir`. */
export interface SilentStyleSettings extends StyleSettings {
  /** Extra fonts a varied style may choose (`undefined`: the bundled ones only). */
  fontDir: string | undefined;
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
  /** @default {{ style: "seed", seed: 0, fontDir: undefined }} */
  style?: Partial<SilentStyleSettings>;
  /** @default {19.3} */
  fps?: number;
  encode?: Partial<EncoderSettings>;
  /** Paint and encode on these worker threads instead of this one. */
  pool?: RenderPool;
}

/** What a silent renderer's `plan` hands to `render`. */
export interface SilentState {
  plan: RevealPlan;
  /** The sample's colours. */
  paint: PaintSettings;
  /** A varied sample's font and background. */
  look: PaintLook | undefined;
}

/** A background as a caption names it: "cream", "cream to pale blue", "cream paper-textured". */
export function backgroundName(style: SampleStyle): string {
  if (style.backgroundKind === "gradient" && style.backgroundEnd) {
    return `${style.background.name} to ${style.backgroundEnd.name}`;
  }
  if (style.backgroundKind === "paper") return `${style.background.name} paper-textured`;
  return style.background.name;
}

/** Paint a reveal plan and encode it to `outPath` (atomically). */
export async function renderSilentVideo(
  plan: RevealPlan,
  outPath: string,
  options: SilentVideoOptions,
): Promise<{ bytes: number }> {
  const painted = paintFrames(plan, { ...options.paint, look: options.look });
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
): SampleRenderer<SilentState> {
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
  const style: SilentStyleSettings = { ...STYLE_DEFAULTS, fontDir: undefined, ...options.style };
  const catalog = style.style === "varied" ? fontCatalog(style.fontDir) : [];
  const seedFont = {
    family: "DejaVu Sans Mono",
    file: SEED_FONT_FILE,
    style: "monospace" as const,
    xHeight: 1120 / 2048,
  };
  const styleOf = (sample: Sample): SampleStyle =>
    chooseStyle({ dataset: spec.key, index: sample.index }, {
      settings: style,
      geometry: planned,
      colours: video.paint,
      seedFont: catalog.find((f) => f.file === SEED_FONT_FILE) ?? seedFont,
      eligibleFonts: style.style === "varied"
        ? fontsCovering(`${sample.prompt}\n${sample.response}`, catalog)
        : [],
      language: spec.language,
    });
  // A setting the plan ignores (the CLI warns about it) counts as its default, so changing it
  // re-renders nothing, and the default options keep the fingerprints of earlier releases.
  const used = (key: ConditionalLayoutSetting) => layoutSettingUsed(key, planned);
  const defaultHold = defaultHoldFrames(planned.frames);
  const fingerprintLayout: FingerprintLayout = {
    width: planned.width,
    height: planned.height,
    margin: planned.margin,
    fontSize: planned.fontSize,
    lineHeight: planned.lineHeight,
    frames: planned.frames,
    longPrompt: planned.longPrompt,
    promptPageFrames: used("promptPageFrames")
      ? planned.promptPageFrames
      : LAYOUT_DEFAULTS.promptPageFrames,
    pace: planned.pace,
    holdFrames: used("holdFrames") ? layout.holdFrames ?? defaultHold : defaultHold,
    maxUnitsPerFrame: used("maxUnitsPerFrame")
      ? planned.maxUnitsPerFrame
      : LAYOUT_DEFAULTS.maxUnitsPerFrame,
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
    plan(sample: Sample): Promise<PlannedSample<SilentState> | { skip: string }> {
      const sampleStyle = styleOf(sample);
      const varied = sampleStyle.style === "varied";
      const prompt = splitSentences(sample.prompt, spec.language);
      const response = splitSentences(sample.response, spec.language);
      // What the plan is made with: the manifest's `layout` records it.
      let given: LayoutOptions = varied
        ? {
          ...layout,
          fontSize: sampleStyle.fontSize,
          lineHeight: sampleStyle.lineHeight,
          margin: sampleStyle.margin,
          align: sampleStyle.align,
          inkInset: VARIED_INK_INSET,
          measure: fileFontMeasure(sampleStyle.font.file),
        }
        : layout;
      let plan = revealPlan(prompt, response, given);
      if ("skip" in plan && varied) {
        // The varied sizes must not cost a row the seed's sizes render: fall back to those.
        sampleStyle.fontSize = planned.fontSize;
        sampleStyle.lineHeight = planned.lineHeight;
        sampleStyle.margin = planned.margin;
        given = {
          ...layout,
          align: sampleStyle.align,
          inkInset: VARIED_INK_INSET,
          measure: fileFontMeasure(sampleStyle.font.file),
        };
        plan = revealPlan(prompt, response, given);
      }
      if ("skip" in plan) return Promise.resolve(plan);
      // `shrink` may lower the size the style chose: the record says what the video shows.
      sampleStyle.fontSize = plan.fontSize;
      sampleStyle.lineHeight = plan.lineHeight;
      const record = styleRecord(sampleStyle);
      const duration = Number((plan.frames.length / fps).toFixed(3));
      const fingerprint = videoFingerprint({
        ...shared,
        prompt: sample.prompt,
        response: sample.response,
        style: varied ? record : undefined,
      });
      const look: PaintLook | undefined = varied
        ? {
          fontFile: sampleStyle.font.file,
          backgroundKind: sampleStyle.backgroundKind,
          backgroundEnd: sampleStyle.backgroundEnd?.hex ?? null,
          textureSeed: sampleStyle.textureSeed,
          textureAmplitude: PAPER_AMPLITUDE,
        }
        : undefined;
      return Promise.resolve({
        state: {
          plan,
          paint: { background: sampleStyle.background.hex, foreground: sampleStyle.foreground.hex },
          look,
        },
        fingerprint,
        values: {
          prompt: plan.promptText,
          response: plan.responseText,
          seconds: duration,
          font_style: sampleStyle.font.style,
          text_color: sampleStyle.foreground.name,
          background_color: backgroundName(sampleStyle),
        },
        fields: {
          prompt_text: plan.promptText,
          response_text: plan.responseText,
          prompt_sentences: plan.promptSentences,
          response_sentences: plan.responseSentences,
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
          layout: layoutRecord(given),
          style: record,
        },
      });
    },
    async render(planned, outPath) {
      const { plan, paint, look } = planned.state;
      const job: SilentVideoOptions = look
        ? { ...video, paint, look, fingerprint: planned.fingerprint }
        : { ...video, fingerprint: planned.fingerprint };
      return options.pool
        ? await options.pool.run({ kind: "silent", plan, options: job }, outPath)
        : await renderSilentVideo(plan, outPath, job);
    },
  };
}
