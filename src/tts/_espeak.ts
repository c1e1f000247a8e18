import { writeFileAtomic } from "../atomic_write/mod.ts";
import { mapLimit } from "../concurrency/mod.ts";
import type { CacheEntry } from "./_cache.ts";
import { runChecked } from "../process/mod.ts";
import { isSpeakable } from "../text/mod.ts";
import type { Narration, TimedSpan } from "./_types.ts";
import { encodeWav, frameBytes, parseWav, type PcmAudio } from "./_wav.ts";

/** Silence between two sentences, counted in the earlier sentence's span. */
const PAUSE_SECONDS = 0.15;
/** espeak-ng's own default speed. */
const BASE_WPM = 175;
/** Two cores: more parallel espeak runs only queue up. */
const PARALLEL_RUNS = 2;

/** Options of `synthesizeEspeak`. */
export interface EspeakOptions {
  voice: string;
  rate: number;
  espeakBin: string;
  signal?: AbortSignal;
}

/** Speed in percent → espeak-ng words per minute, inside espeak's usable range. */
export function espeakWpm(rate: number): number {
  return Math.min(450, Math.max(80, Math.round(BASE_WPM * (1 + rate / 100))));
}

/**
 * Speak the sentences with espeak-ng, join them into one WAV at `entry.audioPath` with a fixed
 * pause between sentences, and time each sentence exactly (sample counts).
 */
export async function synthesizeEspeak(
  sentences: string[],
  entry: CacheEntry,
  options: EspeakOptions,
): Promise<Narration> {
  const texts = sentences.map((s) => s.replace(/\s+/g, " ").trim());
  // A joined run that fails or cannot be cut is redone sentence by sentence (a failure then
  // surfaces as that run's own one-line error).
  const together = await speakTogether(texts, options).catch((error) => {
    if (options.signal?.aborted) throw error;
    return undefined;
  });
  const parts = together ??
    await mapLimit(texts, PARALLEL_RUNS, (text) => speak(text, options));
  const spoken = parts.filter((p): p is PcmAudio => p !== undefined);
  if (spoken.length === 0) throw new Error("espeak-ng: no speakable text in the sentences");
  const format = spoken[0];
  for (const part of spoken) {
    if (
      part.sampleRate !== format.sampleRate || part.channels !== format.channels ||
      part.bitsPerSample !== format.bitsPerSample
    ) {
      throw new Error("espeak-ng returned sentences in different sample formats");
    }
  }
  const frame = frameBytes(format);
  const pauseBytes = Math.round(PAUSE_SECONDS * format.sampleRate) * frame;
  const lastSpoken = parts.findLastIndex((p) => p !== undefined);
  const chunks: Uint8Array[] = [];
  const spans: TimedSpan[] = [];
  let bytes = 0;
  parts.forEach((part, i) => {
    const start = bytes;
    if (part) {
      chunks.push(part.data);
      bytes += part.data.length;
      if (i < lastSpoken) {
        chunks.push(new Uint8Array(pauseBytes));
        bytes += pauseBytes;
      }
    }
    spans.push({ text: sentences[i], start, end: bytes });
  });
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  const bytesPerSecond = format.sampleRate * frame;
  await writeFileAtomic(entry.audioPath, encodeWav({ ...format, data }));
  return {
    audioPath: entry.audioPath,
    duration: bytes / bytesPerSecond,
    heard: bytes / bytesPerSecond,
    sentences: spans.map((s) => ({
      text: s.text,
      start: s.start / bytesPerSecond,
      end: s.end / bytesPerSecond,
    })),
    words: [],
  };
}

/**
 * One espeak-ng run → its WAV. Input goes through stdin so a leading `-` is never an option;
 * `ssml` reads it as SSML.
 */
async function runEspeak(
  input: string,
  options: EspeakOptions & { ssml?: boolean },
): Promise<PcmAudio> {
  const args = ["-v", options.voice, "-s", String(espeakWpm(options.rate)), "-z"];
  if (options.ssml) args.push("-m");
  const { stdout } = await runChecked(options.espeakBin, [...args, "--stdout", "--stdin"], {
    tool: "espeak-ng",
    stdin: new TextEncoder().encode(input),
    signal: options.signal,
  });
  try {
    return parseWav(stdout);
  } catch (error) {
    throw new Error(`espeak-ng output unreadable: ${(error as Error).message}`);
  }
}

/** One sentence alone (nothing for an unspeakable one). */
async function speak(text: string, options: EspeakOptions): Promise<PcmAudio | undefined> {
  return isSpeakable(text) ? await runEspeak(text, options) : undefined;
}

/**
 * The break between sentences in a joined run. It is silence well above any pause espeak-ng makes
 * inside a sentence (at most 0.5 s at its default speed, 1.0 s at 80 wpm; all scale together at
 * its top speeds).
 */
const JOIN_BREAK_MS = 3000;

/** `text` as SSML character data. */
function escapeSsml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * All sentences in one espeak-ng run, cut apart at the long breaks put between them (SSML
 * `<break>`). One process per narration instead of one per sentence: a process start cost ~20 ms
 * of CPU, the whole synthesis of a 35 s story ~60 ms (measured, 8 TinyStories, 102 sentences:
 * 0.24 s per story one by one, 0.07 s joined). Each story is still spoken by a fresh process, so
 * the audio depends on its text alone (libespeak-ng keeps state across calls in one process).
 *
 * Returns one part per sentence (`undefined` for unspeakable ones), or `undefined` when the breaks
 * cannot be told apart from the speech with certainty; then the caller speaks sentence by
 * sentence.
 */
export async function speakTogether(
  texts: string[],
  options: EspeakOptions,
): Promise<(PcmAudio | undefined)[] | undefined> {
  const spoken = texts.flatMap((text, i) => isSpeakable(text) ? [i] : []);
  if (spoken.length < 2) return undefined;
  const ssml = `<speak>${
    spoken.map((i) => escapeSsml(texts[i])).join(`<break time="${JOIN_BREAK_MS}ms"/>`)
  }</speak>`;
  const audio = await runEspeak(ssml, { ...options, ssml: true });
  const cuts = sentenceBreaks(audio, spoken.length - 1);
  if (!cuts) return undefined;
  const { breaks, soundEnd } = cuts;
  const parts: (PcmAudio | undefined)[] = texts.map(() => undefined);
  let from = 0;
  spoken.forEach((index, k) => {
    // The SSML run ends in a sentence pause `-z` does not remove: the last sentence ends where
    // its sound does.
    const to = k < breaks.length ? breaks[k].start : soundEnd;
    parts[index] = { ...audio, data: audio.data.slice(from * 2, to * 2) };
    if (k < breaks.length) from = breaks[k].end;
  });
  return parts;
}

/** A run of silent samples, `[start, end)`. */
export interface QuietRun {
  start: number;
  end: number;
}

/**
 * The `count` breaks of a joined run, in order (`breaks`): its `count` longest silent runs
 * (|sample| <= 1), when each is at least twice as long as any other silence and 0.5 s long; else
 * `undefined`. Also where the last sound ends (`soundEnd`, in samples). 16-bit mono only (what espeak-ng writes).
 */
export function sentenceBreaks(
  audio: PcmAudio,
  count: number,
): { breaks: QuietRun[]; soundEnd: number } | undefined {
  if (audio.bitsPerSample !== 16 || audio.channels !== 1) return undefined;
  const samples = new Int16Array(audio.data.buffer, audio.data.byteOffset, audio.data.length >> 1);
  const runs: QuietRun[] = [];
  let start = -1;
  let soundEnd = 0;
  for (let i = 0; i <= samples.length; i++) {
    const quiet = i < samples.length && samples[i] >= -1 && samples[i] <= 1;
    if (i < samples.length && !quiet) soundEnd = i + 1;
    if (quiet && start < 0) start = i;
    else if (!quiet && start >= 0) {
      // Leading and trailing silence is not a break between two sentences.
      if (start > 0 && i < samples.length) runs.push({ start, end: i });
      start = -1;
    }
  }
  if (runs.length < count) return undefined;
  const length = (run: QuietRun): number => run.end - run.start;
  const byLength = [...runs].sort((a, b) => length(b) - length(a));
  const breaks = byLength.slice(0, count);
  const shortestBreak = count > 0 ? length(breaks[count - 1]) : Infinity;
  const longestOther = byLength.length > count ? length(byLength[count]) : 0;
  if (shortestBreak < 0.5 * audio.sampleRate || shortestBreak < 2 * longestOther) return undefined;
  return { breaks: breaks.sort((a, b) => a.start - b.start), soundEnd };
}
