import { dirname, join } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { runProcess } from "../process/mod.ts";
import type { Narration } from "../tts/mod.ts";
import { encodeWav, frameBytes, parseWav } from "../tts/wav.ts";

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
