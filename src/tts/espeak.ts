import { writeFileAtomic } from "../atomic_write/mod.ts";
import { mapLimit } from "../concurrency/mod.ts";
import type { CacheEntry } from "./cache.ts";
import { runChecked } from "../process/mod.ts";
import type { Narration, TimedSpan } from "./types.ts";
import { encodeWav, frameBytes, parseWav, type PcmAudio } from "./wav.ts";

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

/** Speak each sentence with espeak-ng, join them into one WAV at `entry.audioPath`. */
export async function synthesizeEspeak(
  sentences: string[],
  entry: CacheEntry,
  options: EspeakOptions,
): Promise<Narration> {
  const texts = sentences.map((s) => s.replace(/\s+/g, " ").trim());
  const parts = await mapLimit(texts, PARALLEL_RUNS, (text) => speak(text, options));
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

/** One espeak-ng run; text goes through stdin so a leading `-` is never an option. */
async function speak(text: string, options: EspeakOptions): Promise<PcmAudio | undefined> {
  if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
  const args = ["-v", options.voice, "-s", String(espeakWpm(options.rate)), "-z", "--stdout"];
  const { stdout } = await runChecked(options.espeakBin, [...args, "--stdin"], {
    tool: "espeak-ng",
    stdin: new TextEncoder().encode(text),
    signal: options.signal,
  });
  try {
    return parseWav(stdout);
  } catch (error) {
    throw new Error(`espeak-ng output unreadable: ${(error as Error).message}`);
  }
}
