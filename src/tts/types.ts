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

/** Options of `synthesize`. */
export interface SynthesizeOptions {
  engine: TtsEngine;
  language: TtsLanguage;
  /** Engine voice name (piper: a NAME in `voicesDir` or a `.onnx` path); default `defaultVoice`. */
  voice?: string;
  /** piper: where `download --voice` puts voices (`DATA_DIR/voices`). */
  voicesDir?: string;
  /** Speed change in percent: 0 normal, +10 faster, -20 slower (piper: length_scale ÷ speed). */
  rate?: number;
  /** Folder for the audio files and their timing sidecars. */
  cacheDir: string;
  /** Default `espeak-ng`. */
  espeakBin?: string;
  /** Default `ffmpeg`; an `ffprobe` in the same folder is used when `ffprobeBin` is not given. */
  ffmpegBin?: string;
  /** Default `ffprobe` (or the one beside `ffmpegBin`): measures the edge mp3. */
  ffprobeBin?: string;
  signal?: AbortSignal;
  /** Edge: tries before giving up (default 4). */
  attempts?: number;
  /** Edge: first retry delay in ms, doubled per retry, with jitter (default 1000). */
  retryDelayMs?: number;
  /** Edge: give up on one attempt after this many ms without turn.end (default 120000). */
  attemptTimeoutMs?: number;
}
