/** The settings of narrated videos: the resolved type a command builds, and their defaults. */
import { LAYOUT_DEFAULTS } from "../layout/mod.ts";
import { type EncoderSettings, encoderSettings } from "../encode/mod.ts";
import { withDefaults } from "../defaults/mod.ts";
import {
  defaultVoice,
  type Narration,
  synthesize,
  SYNTHESIZE_DEFAULTS,
  type SynthesizeOptions,
  type TtsLanguage,
} from "../tts/mod.ts";
import type { RenderPool } from "./_render_pool.ts";
import type { SilentStyleSettings } from "./_silent.ts";
import { STYLE_DEFAULTS } from "../style/mod.ts";

/** How the narration is spoken, resolved by the command (every field set). */
export interface NarrationSettings extends
  Required<
    Pick<SynthesizeOptions, "engine" | "rate" | "cacheDir" | "espeakBin" | "voicesDir" | "attempts">
  > {
  /**
   * The voice of each language.
   * @default {defaultVoice(engine, language)} (Aria / Xiaoxiao for edge, en-us / cmn for espeak)
   */
  voices: Record<TtsLanguage, string>;
}

/** Settings of narrated videos, resolved by the command (every field set). */
export interface NarratedSettings {
  tts: NarrationSettings;
  /**
   * Longest video in seconds; the narration is cut at a sentence end to fit.
   * @default {30}
   */
  maxDuration: number;
  /** @default {24} */
  fps: number;
  /** @default {640} */
  width: number;
  /** @default {360} */
  height: number;
  /**
   * Blank border of the prompt area.
   * @default {15}
   */
  margin: number;
  /**
   * Prompt font size; long prompts shrink to `minFontSize`, then paginate.
   * @default {28}
   */
  fontSize: number;
  /**
   * Smallest prompt font.
   * @default {18}
   */
  minFontSize: number;
  /**
   * Frame counts are `frameStep·n + 1` (1: any): the count is rounded up, the last picture held
   * and the audio padded with silence to the same length.
   * @default {1}
   */
  frameStep: number;
  /**
   * Every video this long (`--duration`; frames `seconds × fps` rounded, to the `frameStep`
   * rule): the speech is fitted by speed within `minSpeed`–`maxSpeed`, then stories are cut at
   * a sentence end and math that still does not fit is skipped; silence with the last subtitle
   * held fills the rest. Replaces `maxDuration`. `undefined`: as long as the narration.
   * @default {undefined}
   */
  fixedDuration: FixedDuration | undefined;
  /**
   * The prompt area's look (`--style`, `--style-seed`, `--font-dir`, as silent videos take
   * them); the subtitle band keeps its own.
   * @default {{ style: "seed", seed: 0, fontDir: undefined }}
   */
  style: SilentStyleSettings;
  encode: EncoderSettings;
}

/** A fixed video length and the speeds the narration may be fitted with. */
export interface FixedDuration {
  seconds: number;
  /** Speed multipliers (1: the voice's own pace), e.g. 0.85 and 1.25. */
  minSpeed: number;
  maxSpeed: number;
}

/** The narrated defaults the layers below do not own. */
export const NARRATED_DEFAULTS: Readonly<Omit<NarratedSettings, "tts" | "encode">> = {
  maxDuration: 30,
  fps: 24,
  width: LAYOUT_DEFAULTS.width,
  height: LAYOUT_DEFAULTS.height,
  margin: LAYOUT_DEFAULTS.margin,
  fontSize: LAYOUT_DEFAULTS.fontSize,
  minFontSize: 18,
  frameStep: 1,
  fixedDuration: undefined,
  style: { ...STYLE_DEFAULTS, fontDir: undefined },
};

/** {@link NarrationSettings}, or the part a direct caller sets. */
export interface NarrationOptions extends
  Pick<
    SynthesizeOptions,
    "engine" | "cacheDir" | "rate" | "espeakBin" | "voicesDir" | "attempts"
  > {
  /** @default {defaultVoice(engine, language)} */
  voices?: Partial<Record<TtsLanguage, string>>;
}

/**
 * What `narratedRenderer` takes: {@link NarratedSettings} (what a command resolves), or any part
 * of them (direct callers), the rest at the owning layer's defaults.
 */
export interface NarratedOptions
  extends Partial<Omit<NarratedSettings, "tts" | "encode" | "style">> {
  tts: NarrationOptions;
  /** @default {{ style: "seed", seed: 0, fontDir: undefined }} */
  style?: Partial<SilentStyleSettings>;
  encode?: Partial<EncoderSettings>;
  /** Paint and encode on these worker threads instead of this one. */
  pool?: RenderPool;
}

/** `options` with every unset field at its default, in one step per layer. */
export function narratedSettings(options: NarratedOptions): NarratedSettings {
  const video = withDefaults(NARRATED_DEFAULTS, options);
  const tts = withDefaults(SYNTHESIZE_DEFAULTS, options.tts);
  const voice = (language: TtsLanguage): string =>
    options.tts.voices?.[language] ?? defaultVoice(tts.engine, language);
  return {
    maxDuration: video.maxDuration,
    fps: video.fps,
    width: video.width,
    height: video.height,
    margin: video.margin,
    fontSize: video.fontSize,
    minFontSize: video.minFontSize,
    frameStep: video.frameStep,
    fixedDuration: video.fixedDuration,
    style: withDefaults(NARRATED_DEFAULTS.style, options.style ?? {}),
    tts: {
      engine: tts.engine,
      rate: tts.rate,
      cacheDir: tts.cacheDir,
      espeakBin: tts.espeakBin,
      voicesDir: tts.voicesDir,
      attempts: tts.attempts,
      voices: { en: voice("en"), zh: voice("zh") },
    },
    encode: encoderSettings(options.encode),
  };
}

/** Speaks sentences (at a rate, default the settings') in `language` as the settings say. */
export type NarrationSpeaker = (sentences: string[], rate?: number) => Promise<Narration>;

/** The one place narrated settings become `synthesize` options. */
export function narrationSpeaker(
  settings: NarratedSettings,
  language: TtsLanguage,
): NarrationSpeaker {
  const { tts } = settings;
  return (sentences, rate = tts.rate) =>
    synthesize(sentences, {
      engine: tts.engine,
      language,
      voice: tts.voices[language],
      rate,
      cacheDir: tts.cacheDir,
      espeakBin: tts.espeakBin,
      voicesDir: tts.voicesDir,
      ffmpegBin: settings.encode.ffmpegBin,
      attempts: tts.attempts,
    });
}
