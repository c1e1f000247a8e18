import { writeFileAtomic } from "../../atomic_write/mod.ts";
import type { CacheEntry } from "../_cache.ts";
import type { Narration, TimedSpan } from "../_types.ts";
import { encodeWav } from "../_wav.ts";
import { espeakPhonemes } from "./_espeak_phonemes.ts";
import { phonemeIds } from "./_phoneme_ids.ts";
import { isSpeakable } from "../../text/mod.ts";
import type { PiperVoice } from "./_voice.ts";

/** Silence after each spoken sentence but the last (Piper's default sentence_silence). */
export const SENTENCE_SILENCE_SECONDS = 0.2;

/** Speed change in percent → the voice's length_scale (longer = slower). */
export function lengthScaleFor(voice: PiperVoice, rate: number): number {
  return voice.config.lengthScale / (1 + rate / 100);
}

/** Float samples → 16-bit PCM (clipped), appended at `at` of `out`. */
function toPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out[i] = Math.round(s * 32767);
  }
  return out;
}

/**
 * Speak each sentence with the Piper voice (one inference per espeak sentence, as Piper does)
 * and join them into one mono 16-bit WAV at `entry.audioPath`. Timing is exact: each input
 * sentence's span covers its own samples plus the pause after it.
 */
export async function synthesizePiper(
  sentences: string[],
  entry: CacheEntry,
  options: { voice: PiperVoice; rate: number },
): Promise<Narration> {
  const { voice } = options;
  const lengthScale = lengthScaleFor(voice, options.rate);
  const rate = voice.config.sampleRate;
  const pause = Math.round(SENTENCE_SILENCE_SECONDS * rate);
  const pieces: Int16Array[][] = [];
  for (const text of sentences) {
    const parts: Int16Array[] = [];
    const clean = text.replace(/\s+/g, " ").trim();
    if (isSpeakable(clean)) {
      for (const phonemes of espeakPhonemes(clean, voice.config.espeakVoice)) {
        if (phonemes.length === 0) continue;
        const { ids } = phonemeIds(phonemes, voice.config.phonemeIdMap);
        parts.push(toPcm16(await voice.infer(ids, lengthScale)));
      }
    }
    pieces.push(parts);
  }
  const lastSpoken = pieces.findLastIndex((p) => p.length > 0);
  if (lastSpoken < 0) throw new Error("piper: no speakable text in the sentences");
  const chunks: Int16Array[] = [];
  const spans: TimedSpan[] = [];
  let samples = 0;
  pieces.forEach((parts, i) => {
    const start = samples;
    parts.forEach((part, j) => {
      chunks.push(part);
      samples += part.length;
      if (i < lastSpoken || j < parts.length - 1) {
        chunks.push(new Int16Array(pause));
        samples += pause;
      }
    });
    spans.push({ text: sentences[i], start: start / rate, end: samples / rate });
  });
  const pcm = new Int16Array(samples);
  let at = 0;
  for (const chunk of chunks) {
    pcm.set(chunk, at);
    at += chunk.length;
  }
  // WAV is little-endian, as is every platform ONNX Runtime ships for.
  const data = new Uint8Array(pcm.buffer);
  await writeFileAtomic(
    entry.audioPath,
    encodeWav({ sampleRate: rate, channels: 1, bitsPerSample: 16, data }),
  );
  const duration = samples / rate;
  return { audioPath: entry.audioPath, duration, heard: duration, sentences: spans, words: [] };
}
