/**
 * Piper neural voices, offline: espeak-ng phonemes (as Piper makes them) → the voice's phoneme
 * ids → the voice's ONNX model on onnxruntime-node → 16-bit WAV with exact sentence timings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { espeakPhonemes, resolveVoiceFile, voiceRepoPaths } from "./mod.ts";
 *
 * // Where a voice lives in rhasspy/piper-voices, and what to run before it is downloaded.
 * const { model } = voiceRepoPaths("en_US-lessac-medium");
 * assert.equal(model, "en/en_US/lessac/medium/en_US-lessac-medium.onnx");
 * const voices = await Deno.makeTempDir();
 * await assert.rejects(
 *   resolveVoiceFile("en_US-lessac-medium", voices),
 *   /run `videoword download --voice en_US-lessac-medium`/,
 * );
 * // Piper's phonemes, one list per sentence, from libespeak-ng as Piper calls it.
 * const sentences = espeakPhonemes("The cat sat. It purred.", "en-us");
 * assert.equal(sentences.length, 2);
 * assert.equal(sentences[0].join(""), "ðə kˈæt sˈæt.");
 * await Deno.remove(voices);
 * ```
 *
 * @module
 */
export { espeakPhonemes } from "./_espeak_phonemes.ts";
export { BOS, EOS, PAD, type PhonemeIdMap, type PhonemeIds, phonemeIds } from "./_phoneme_ids.ts";
export {
  loadPiperVoice,
  parseVoiceConfig,
  type PiperVoice,
  type PiperVoiceConfig,
} from "./_voice.ts";
export { lengthScaleFor, SENTENCE_SILENCE_SECONDS, synthesizePiper } from "./_engine.ts";
export {
  DEFAULT_PIPER_VOICES,
  PIPER_VOICES_REPO,
  resolveVoiceFile,
  voiceRepoPaths,
} from "./_voices.ts";
export {
  downloadVoice,
  type DownloadVoiceOptions,
  readVoiceManifest,
  type VoiceManifest,
} from "./_download.ts";
