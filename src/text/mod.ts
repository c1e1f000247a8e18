/**
 * Text rules: sentence breaks, reveal units, Chinese quote pairing, math read out for speech.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { revealUnits, splitSentences } from "./mod.ts";
 *
 * assert.deepEqual(splitSentences("He sold 48 clips. Then 24 more!", "en"), [
 *   "He sold 48 clips.",
 *   "Then 24 more!",
 * ]);
 * // One character or number group each; punctuation stays with the character before it.
 * assert.deepEqual(
 *   revealUnits("小明有3个苹果。", "zh").map((unit) => unit.text),
 *   ["小", "明", "有", "3", "个", "苹", "果。"],
 * );
 * ```
 *
 * @module
 */
export { isWideChar, joinUnits, type RevealUnit, revealUnits } from "./_segment.ts";
export { splitSentences } from "./_sentences.ts";
export { pairChineseQuotes } from "./_quotes.ts";
export { isSpeakable, type SpeechLanguage, speechText } from "./_speech.ts";
