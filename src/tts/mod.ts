/**
 * Text-to-speech with sentence timings: Edge neural voices (online, via msedge-tts), espeak-ng
 * (offline) or Piper neural voices (offline, onnxruntime). Math is read out (`speechText`) for
 * every engine while the timings keep the original sentences. Results are cached by content
 * hash (piper: by the voice files' sha256), so the same text is spoken once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { synthesize } from "./mod.ts";
 *
 * const cacheDir = await Deno.makeTempDir();
 * const narration = await synthesize(["Once upon a time.", "There was a cat."], {
 *   engine: "espeak",
 *   language: "en",
 *   cacheDir,
 * });
 * const [first, second] = narration.sentences; // { text, start, end } in seconds
 * assert.deepEqual([first.start, first.end], [0, second.start]); // contiguous from 0 …
 * assert.equal(second.end, narration.duration); // … to `duration`
 * await Deno.remove(cacheDir, { recursive: true });
 * ```
 *
 * @module
 */
import { cacheEntry, readCached, writeCached } from "./_cache.ts";
import { edgeSlots, heardDuration, synthesizeEdge } from "./_edge.ts";
import { synthesizeEspeak } from "./_espeak.ts";
import { isSpeakable, speechText } from "../text/mod.ts";
import {
  DEFAULT_PIPER_VOICES,
  loadPiperVoice,
  resolveVoiceFile,
  synthesizePiper,
} from "./piper/mod.ts";
import {
  type Narration,
  SYNTHESIZE_DEFAULTS,
  type SynthesizeOptions,
  type TtsEngine,
  type TtsLanguage,
} from "./_types.ts";
import { withDefaults } from "../defaults/mod.ts";

export {
  type Narration,
  SYNTHESIZE_DEFAULTS,
  type SynthesizeOptions,
  type TimedSpan,
  type TtsEngine,
  type TtsLanguage,
} from "./_types.ts";
export { EDGE_URL_ENV } from "./_edge.ts";
export { partStarts } from "./_timing.ts";
export { encodeWav, frameBytes, parseWav, type PcmAudio } from "./_wav.ts";
export {
  DEFAULT_PIPER_VOICES,
  downloadVoice,
  readVoiceManifest,
  resolveVoiceFile,
  type VoiceManifest,
} from "./piper/mod.ts";

const DEFAULT_VOICES: Record<TtsEngine, Record<TtsLanguage, string>> = {
  edge: { en: "en-US-AriaNeural", zh: "zh-CN-XiaoxiaoNeural" },
  // cmn-latn-pinyin, not cmn: Debian 12's espeak-ng 1.51 `cmn` lacks most characters and reads
  // them as English ("你" → "ni three"); this voice reads the same text as Mandarin with tones.
  espeak: { en: "en-us", zh: "cmn-latn-pinyin" },
  piper: DEFAULT_PIPER_VOICES,
};

const DEFAULT_LOCALES: Record<TtsLanguage, string> = { en: "en-US", zh: "zh-CN" };

/** Same request already running in this process: share its result instead of speaking twice. */
const inFlight = new Map<string, Promise<Narration>>();

/**
 * The voice used when none is given: Aria / Xiaoxiao for edge, `en-us` / `cmn-latn-pinyin` for espeak,
 * `en_US-lessac-medium` / `zh_CN-huayan-medium` for piper.
 */
export function defaultVoice(engine: TtsEngine, language: TtsLanguage): string {
  const voice = DEFAULT_VOICES[engine]?.[language];
  if (!voice) throw new Error(`no default voice for engine ${engine} and language ${language}`);
  return voice;
}

/** Limit how many Edge requests run at once across all `synthesize` calls (default 4). */
export function setEdgeConcurrency(limit: number): void {
  edgeSlots.setLimit(limit);
}

/**
 * Speak `sentences` as one narration and time each sentence.
 *
 * The audio lands in `options.cacheDir/<hh>/<sha256>.{mp3|wav}` with a `.json` timing sidecar;
 * an identical later call returns the cached result without running the engine. Sentence spans
 * are contiguous, in input order, from 0 to the measured duration. Errors are one-line.
 */
export async function synthesize(
  sentences: string[],
  synthesizeOptions: SynthesizeOptions,
): Promise<Narration> {
  const options = withDefaults(SYNTHESIZE_DEFAULTS, synthesizeOptions);
  if (!Array.isArray(sentences) || sentences.some((s) => typeof s !== "string")) {
    throw new Error("sentences must be an array of strings");
  }
  if (!sentences.some(isSpeakable)) {
    throw new Error("nothing to speak: the sentences have no letters or digits");
  }
  const { engine, language } = options;
  if (engine !== "edge" && engine !== "espeak" && engine !== "piper") {
    throw new Error(`unknown TTS engine: ${engine}`);
  }
  if (language !== "en" && language !== "zh") throw new Error(`unknown language: ${language}`);
  const rate = options.rate;
  if (!Number.isFinite(rate) || rate <= -100) {
    throw new Error(`rate must be a percent above -100, got ${rate}`);
  }
  const voice = options.voice ?? defaultVoice(engine, language);
  const spoken = sentences.map((s) => speechText(s, language));
  const piper = engine === "piper"
    ? await loadPiperVoice(await resolveVoiceFile(voice, options.voicesDir))
    : undefined;
  // A piper voice is identified by its files' content, so a replaced voice is never mixed up.
  const voiceKey = piper ? `${piper.name}@${piper.fingerprint}` : voice;
  const entry = await cacheEntry(
    options.cacheDir,
    { engine, voice: voiceKey, rate, sentences: spoken },
    { ext: engine === "edge" ? "mp3" : "wav" },
  );
  // The audio says `spoken`; timings are reported on the caller's own sentences (two texts may
  // be spoken alike, "48/2=24" and "48 divided by 2 equals 24", and share one cache entry).
  const onSentences = (narration: Narration): Narration => ({
    ...narration,
    sentences: narration.sentences.map((span, i) => ({ ...span, text: sentences[i] })),
  });
  const ffmpegBin = options.ffmpegBin;
  // WAV lengths are exact; an mp3 cached before `heard` was stored is decoded once.
  const cached = await readCached(
    entry,
    (path, duration) =>
      path.endsWith(".wav")
        ? Promise.resolve(duration)
        : heardDuration(path, duration, { ffmpegBin, signal: options.signal }),
  );
  if (cached) return onSentences(cached);
  const running = inFlight.get(entry.metaPath);
  if (running) return onSentences(await running);
  const job = (async (): Promise<Narration> => {
    const narration = piper
      ? await synthesizePiper(spoken, entry, { voice: piper, rate })
      : engine === "edge"
      ? await synthesizeEdge(spoken, entry, {
        voice,
        locale: /^[a-z]{2,3}-[A-Z]{2}/.exec(voice)?.[0] ?? DEFAULT_LOCALES[language],
        rate,
        ffprobeBin: options.ffprobeBin ?? siblingTool(options.ffmpegBin, "ffprobe"),
        ffmpegBin,
        attempts: options.attempts,
        retryDelayMs: options.retryDelayMs,
        attemptTimeoutMs: options.attemptTimeoutMs,
        signal: options.signal,
      })
      : await synthesizeEspeak(spoken, entry, {
        voice,
        rate,
        espeakBin: options.espeakBin,
        signal: options.signal,
      });
    await writeCached(entry, narration);
    return narration;
  })();
  inFlight.set(entry.metaPath, job);
  try {
    return onSentences(await job);
  } finally {
    inFlight.delete(entry.metaPath);
  }
}

/** `ffprobe` next to a given `ffmpeg` path (same folder), else the bare name. */
function siblingTool(ffmpegBin: string | undefined, name: string): string {
  if (!ffmpegBin || !/ffmpeg(\.exe)?$/.test(ffmpegBin)) return name;
  return ffmpegBin.replace(/ffmpeg(\.exe)?$/, `${name}$1`);
}
