import { dirname, join } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { runProcess } from "../process/mod.ts";
import { encodeWav, frameBytes, type Narration, parseWav } from "../tts/mod.ts";

/** How a narration is fitted into a fixed video length. */
export interface FitOptions {
  /** Video length in seconds: speech must end at or before it. */
  seconds: number;
  /** Slowest and fastest speed multipliers allowed (0.85 and 1.25 by default at the CLI). */
  minSpeed: number;
  maxSpeed: number;
  /** `cut`: drop trailing sentences that do not fit (stories); `skip`: give up (math answers). */
  overflow: "cut" | "skip";
  /** Speak `sentences` at `speed` (1 = the voice's own pace); cached by the TTS layer. */
  speak(sentences: string[], speed: number): Promise<Narration>;
}

/** A fitted narration: how many sentences were kept and the speed they were spoken at. */
export interface Fitted {
  narration: Narration;
  kept: number;
  speed: number;
}

/** Speeds are chosen in whole percents, so equal texts meet in the TTS cache. */
const toPercent = (speed: number): number => Math.round(speed * 100) / 100;
const ceilPercent = (speed: number): number => Math.ceil(speed * 100 - 1e-9) / 100;

/**
 * The speed at which `sentences` fill `seconds` without running past, within the speed range,
 * or the narration at the fastest speed when even that is too long. Speech time is close to
 * inversely proportional to speed (pauses are not), so a guess is checked and raised until it fits.
 */
async function fastestNeeded(
  sentences: string[],
  options: FitOptions,
): Promise<{ narration: Narration; speed: number; fits: boolean }> {
  const { seconds, minSpeed, maxSpeed } = options;
  const natural = await options.speak(sentences, 1);
  let speed = Math.min(maxSpeed, Math.max(minSpeed, ceilPercent(natural.duration / seconds)));
  for (let attempt = 0; attempt < 8; attempt++) {
    const narration = speed === 1 ? natural : await options.speak(sentences, speed);
    if (narration.duration <= seconds + 1e-6) return { narration, speed, fits: true };
    if (speed >= maxSpeed) return { narration, speed, fits: false };
    // Too long: go at least one percent faster, by the measured shortfall.
    const next = ceilPercent(speed * narration.duration / seconds);
    speed = Math.min(maxSpeed, Math.max(toPercent(speed + 0.01), next));
  }
  const narration = await options.speak(sentences, maxSpeed);
  return { narration, speed: maxSpeed, fits: narration.duration <= seconds + 1e-6 };
}

/**
 * Fit spoken `sentences` into `options.seconds`: first by the speaking speed (within
 * `minSpeed`–`maxSpeed`, filling the time as fully as the range allows), then, for stories, by
 * cutting at a sentence end. A math answer that does not fit at the fastest speed is skipped
 * with its reason, as is a story whose first sentence alone does not fit.
 */
export async function fitNarration(
  sentences: string[],
  options: FitOptions,
): Promise<Fitted | { skip: string }> {
  const whole = await fastestNeeded(sentences, options);
  if (whole.fits) return { narration: whole.narration, kept: sentences.length, speed: whole.speed };
  const at = `${whole.narration.duration.toFixed(2)} s at ${options.maxSpeed}× speed > ` +
    `${Number(options.seconds.toFixed(3))} s`;
  // The text before ":" is the stats' reason key.
  if (options.overflow === "skip") return { skip: `answer does not fit --duration: ${at}` };
  // A sentence that starts after the end cannot be kept; one that ends a little past it may fit
  // once spoken last (its span counts the pause after it), so try from there down.
  let kept = whole.narration.sentences.filter((s) => s.start < options.seconds).length;
  for (; kept > 0; kept--) {
    const prefix = await fastestNeeded(sentences.slice(0, kept), options);
    if (prefix.fits) return { narration: prefix.narration, kept, speed: prefix.speed };
  }
  return { skip: `first sentence does not fit --duration: ${at}` };
}

/** Frames of a fixed-length video: `seconds × fps` rounded, then the frame rule `k·step + 1`. */
export function fixedFrameCount(seconds: number, fps: number, frameStep?: number): number {
  const frames = Math.max(1, Math.round(seconds * fps));
  if (!frameStep || frameStep <= 1) return frames;
  return Math.max(1, Math.round((frames - 1) / frameStep)) * frameStep + 1;
}

/**
 * A WAV copy of `narration`'s audio exactly `seconds` long: the speech, then silence. It sits
 * beside the cached audio (`<hash>.<samples>.wav`), written atomically, reused when present.
 * Compressed audio (edge mp3) is decoded with ffmpeg first.
 */
export async function paddedAudio(
  narration: Narration,
  seconds: number,
  options: { ffmpegBin: string },
): Promise<string> {
  const bytes = narration.audioPath.endsWith(".wav")
    ? await Deno.readFile(narration.audioPath)
    : await decodeToWav(narration.audioPath, options.ffmpegBin);
  const pcm = parseWav(bytes);
  const frame = frameBytes(pcm);
  const samples = Math.round(seconds * pcm.sampleRate);
  const base = narration.audioPath.replace(/\.[^./]+$/, "");
  const path = join(dirname(narration.audioPath), `${base.split("/").pop()}.${samples}.wav`);
  try {
    if ((await Deno.stat(path)).size === 44 + samples * frame) return path;
  } catch {
    // not made yet
  }
  const data = new Uint8Array(samples * frame);
  data.set(pcm.data.subarray(0, Math.min(pcm.data.length, data.length)));
  await writeFileAtomic(path, encodeWav({ ...pcm, data }));
  return path;
}

async function decodeToWav(path: string, ffmpegBin: string): Promise<Uint8Array> {
  const out = await runProcess(
    ffmpegBin,
    ["-v", "error", "-nostdin", "-i", path, "-f", "wav", "-acodec", "pcm_s16le", "-"],
    { tool: "ffmpeg" },
  );
  if (!out.success) {
    const detail = out.stderr.trim().split("\n").pop();
    throw new Error(`cannot decode narration ${path}: ${detail || `exit ${out.code}`}`);
  }
  return out.stdout;
}

/** Characters per second surely not reached by normal speech (for choosing what to synthesize). */
const FAST_CHARS_PER_SECOND = { en: 25, zh: 8 } as const;

/** Options of `narrateWithin`. */
export interface WithinOptions {
  /** Longest narration in seconds. */
  maxDuration: number;
  language: "en" | "zh";
  /** Speed change in percent the narration is spoken at (for the first guess only). */
  rate: number;
  /** Speak `sentences`; cached by the TTS layer. */
  speak(sentences: string[]): Promise<Narration>;
}

/**
 * Speak the longest prefix of whole sentences that fits `maxDuration`. Only a generous
 * estimate of what could fit is synthesized first; when something must be cut, the kept
 * sentences are synthesized again so the audio holds nothing else. Deterministic, and cached.
 */
export async function narrateWithin(
  sentences: string[],
  options: WithinOptions,
): Promise<{ narration: Narration; kept: number } | { skip: string }> {
  const { maxDuration, speak } = options;
  const speed = Math.max(0.25, 1 + options.rate / 100);
  let budget = maxDuration * FAST_CHARS_PER_SECOND[options.language] * speed;
  let narration: Narration;
  let taken: number;
  for (;;) {
    taken = 0;
    let chars = 0;
    while (taken < sentences.length && chars <= budget) chars += [...sentences[taken++]].length;
    narration = await speak(sentences.slice(0, taken));
    const fits = narration.sentences.filter((s) => s.end <= maxDuration + 1e-6).length;
    if (fits < taken || taken === sentences.length) break;
    budget *= 2;
  }
  let kept = narration.sentences.findIndex((s) => s.end > maxDuration + 1e-6);
  if (kept < 0) return { narration, kept: taken };
  while (kept > 0) {
    const shorter = await speak(sentences.slice(0, kept));
    if (shorter.duration <= maxDuration + 1e-6) return { narration: shorter, kept };
    kept--;
  }
  const first = narration.sentences[0];
  return {
    skip: `first sentence too long: ${first.end.toFixed(1)} s > --max-duration ${maxDuration} s`,
  };
}

/** Options of `fitSpeech`. */
export interface SpeechFitOptions {
  /** A fixed video length (`--duration`); without it the video lasts as long as the speech. */
  fixed?: { seconds: number; minSpeed: number; maxSpeed: number };
  fps: number;
  /** The model's frame rule (`frameStep·n + 1` frames; 1: any count). */
  frameStep: number;
  /** Longest narration without `fixed`, in seconds. */
  maxDuration: number;
  language: "en" | "zh";
  /** The chosen speed change in percent. */
  rate: number;
  /** Math answers that do not fit are skipped; stories are cut at a sentence end. */
  kind: "math" | "story";
  /** Speak `sentences` at a speed change of `rate` percent; cached by the TTS layer. */
  speak(sentences: string[], rate: number): Promise<Narration>;
}

/**
 * The narration of `sentences` fitted to the video: sped up or slowed down to a fixed length
 * (`fitNarration`, the frame count from `fixedFrameCount`), else the longest prefix within
 * `maxDuration` at the chosen rate (`narrateWithin`). `speed` is the multiplier spoken at.
 */
export async function fitSpeech(
  sentences: string[],
  options: SpeechFitOptions,
): Promise<
  { narration: Narration; kept: number; speed: number; fixedFrames?: number } | { skip: string }
> {
  const { fixed, fps, rate, speak } = options;
  if (!fixed) {
    const within = await narrateWithin(sentences, { ...options, speak: (s) => speak(s, rate) });
    return "skip" in within ? within : { ...within, speed: 1 + rate / 100 };
  }
  const fixedFrames = fixedFrameCount(fixed.seconds, fps, options.frameStep);
  const fitted = await fitNarration(sentences, {
    seconds: fixedFrames / fps,
    minSpeed: fixed.minSpeed,
    maxSpeed: fixed.maxSpeed,
    overflow: options.kind === "story" ? "cut" : "skip",
    speak: (s, speed) => speak(s, Math.round((speed - 1) * 100)),
  });
  return "skip" in fitted ? fitted : { ...fitted, fixedFrames };
}
