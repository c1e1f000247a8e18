/**
 * Piper neural voices, offline: espeak-ng phonemes (as Piper makes them) → the voice's phoneme
 * ids → the voice's ONNX model on onnxruntime-node → 16-bit WAV with exact sentence timings.
 *
 * @example
 * ```ts
 * import { loadPiperVoice, resolveVoiceFile } from "./mod.ts";
 * const voice = await loadPiperVoice(await resolveVoiceFile("en_US-lessac-medium", "data/voices"));
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
