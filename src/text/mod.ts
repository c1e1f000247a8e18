/**
 * Text rules: sentence breaks, reveal units, Chinese quote pairing, math read out for speech.
 *
 * @example
 * ```ts
 * import { revealUnits, splitSentences } from "./mod.ts";
 *
 * splitSentences("He sold 48 clips. Then 24 more!", "en"); // ["He sold 48 clips.", "Then 24 more!"]
 * revealUnits("小明有3个苹果。", "zh").map((u) => u.text); // one character or number group each
 * ```
 *
 * @module
 */
export { isWideChar, joinUnits, type RevealUnit, revealUnits } from "./_segment.ts";
export { splitSentences } from "./_sentences.ts";
export { pairChineseQuotes } from "./_quotes.ts";
export { isSpeakable, type SpeechLanguage, speechText } from "./_speech.ts";
