/** A piece of text and where it is heard in the audio, in seconds. */
export interface TimedSpan {
  text: string;
  start: number;
  end: number;
}

/** A synthesized narration: one audio file plus sentence (and word) timings. */
export interface Narration {
  /** A file in the cache dir (mp3 for edge, wav for espeak); stable and reusable. */
  audioPath: string;
  /** Seconds, measured from the audio itself (an mp3: its container duration). */
  duration: number;
  /**
   * Seconds the audio decodes to, which is what a muxed video plays: `duration` for WAV; for an
   * mp3 at most `duration`, whose container count includes the encoder delay and padding.
   */
  heard: number;
  /** One per input sentence, in order, contiguous from 0 to `duration`. */
  sentences: TimedSpan[];
  /** Word boundaries when the engine reports them (edge), else []. */
  words: TimedSpan[];
}

/** Which synthesizer to use. */
export type TtsEngine = "edge" | "espeak" | "piper";

/** Language of the text; picks the default voice. */
export type TtsLanguage = "en" | "zh";

/** Options of `synthesize`; unset fields take {@link SYNTHESIZE_DEFAULTS}. */
export interface SynthesizeOptions {
  engine: TtsEngine;
  language: TtsLanguage;
  /**
   * Engine voice name (piper: a NAME in `voicesDir` or a `.onnx` path).
   * @default {defaultVoice(engine, language)}
   */
  voice?: string;
  /**
   * piper: where `download --voice` puts voices (`DATA_DIR/voices`).
   * @default {"data/voices"}
   */
  voicesDir?: string;
  /**
   * Speed change in percent: 0 normal, +10 faster, -20 slower (piper: length_scale ÷ speed).
   * @default {0}
   */
  rate?: number;
  /** Folder for the audio files and their timing sidecars. */
  cacheDir: string;
  /** @default {"espeak-ng"} */
  espeakBin?: string;
  /**
   * Decodes audio; an `ffprobe` in the same folder is used when `ffprobeBin` is not given.
   * @default {"ffmpeg"}
   */
  ffmpegBin?: string;
  /**
   * Measures the edge mp3.
   * @default {"ffprobe"} (or the one beside `ffmpegBin`)
   */
  ffprobeBin?: string;
  signal?: AbortSignal;
  /**
   * Edge: tries before giving up.
   * @default {4}
   */
  attempts?: number;
  /**
   * Edge: first retry delay in ms, doubled per retry, with jitter.
   * @default {1000}
   */
  retryDelayMs?: number;
  /**
   * Edge: give up on one attempt after this many ms without turn.end.
   * @default {120000}
   */
  attemptTimeoutMs?: number;
}

/** The one home of the `synthesize` defaults that do not depend on other options. */
export const SYNTHESIZE_DEFAULTS: Readonly<
  Required<
    Pick<
      SynthesizeOptions,
      | "rate"
      | "espeakBin"
      | "ffmpegBin"
      | "voicesDir"
      | "attempts"
      | "retryDelayMs"
      | "attemptTimeoutMs"
    >
  >
> = {
  rate: 0,
  espeakBin: "espeak-ng",
  ffmpegBin: "ffmpeg",
  voicesDir: "data/voices",
  attempts: 4,
  retryDelayMs: 1000,
  attemptTimeoutMs: 120_000,
};
