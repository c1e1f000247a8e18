/**
 * Text rules: sentence breaks, reveal units, Chinese quote pairing, math read out for speech.
 *
 * @module
 */
export { isWideChar, joinUnits, type RevealUnit, revealUnits } from "./segment.ts";
export { splitSentences } from "./sentences.ts";
export { pairChineseQuotes } from "./quotes.ts";
export { type SpeechLanguage, speechText } from "./speech.ts";
