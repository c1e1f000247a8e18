/** Sentence splitting for English and Chinese display text. */

/** Sentence-ending marks per language. */
const END_MARKS_EN = new Set([".", "!", "?"]);
const END_MARKS_ZH = new Set(["。", "！", "？", "!", "?", "."]);

/** Closing quotes and brackets that stay with the sentence they follow. */
const CLOSERS = new Set(['"', "'", "”", "’", ")", "）", "」", "』", "》", "]"]);

/** Words whose trailing period does not end a sentence (compared lowercased, without the dot). */
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "jr",
  "sr",
  "prof",
  "mt",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "capt",
  "gen",
  "lt",
  "sgt",
  "rev",
  "inc",
  "ltd",
  "co",
  "ft",
  "approx",
]);

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

/** The token right before position `dot` (back to whitespace or an opening bracket/quote). */
function tokenBefore(text: string, dot: number): string {
  let from = dot;
  while (from > 0 && !/[\s("'“‘\[]/.test(text[from - 1])) from--;
  return text.slice(from, dot).toLowerCase();
}

/** Cut positions (exclusive ends) inside one line of English text. */
function englishCuts(line: string): number[] {
  const cuts: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (!END_MARKS_EN.has(char)) continue;
    if (char === ".") {
      if (isDigit(line[i - 1]) && isDigit(line[i + 1])) continue;
      if (ABBREVIATIONS.has(tokenBefore(line, i))) continue;
    }
    let j = i + 1;
    while (j < line.length && END_MARKS_EN.has(line[j])) j++;
    while (j < line.length && CLOSERS.has(line[j])) j++;
    if (j >= line.length) {
      cuts.push(j);
      break;
    }
    // No space after the mark ("U.S.", "3.5", "a.m."): not a boundary.
    if (!/\s/.test(line[j])) {
      i = j - 1;
      continue;
    }
    let k = j;
    while (k < line.length && /\s/.test(line[k])) k++;
    // `"Push me!" she says.` is one sentence: a lowercase continuation means no break.
    if (k < line.length && /\p{Ll}/u.test(line[k])) {
      i = j - 1;
      continue;
    }
    cuts.push(j);
    i = j - 1;
  }
  return cuts;
}

/** A short speech tag (`她说。`, `本问。`) right after a closing quote. */
const SPEECH_TAG = /^[^。！？!?“"「『]{0,7}[说问喊叫道答][^。！？!?“"「『]{0,3}[。！？!?]/;

/** Cut positions inside one line of Chinese text. */
function chineseCuts(line: string): number[] {
  const cuts: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (!END_MARKS_ZH.has(char)) continue;
    // `3.5` and `1.` followed by a digit stay whole; so do runs like `...` inside ASCII text.
    if (char === "." && (isDigit(line[i + 1]) || /[A-Za-z0-9]/.test(line[i + 1] ?? ""))) {
      continue;
    }
    let j = i + 1;
    while (j < line.length && END_MARKS_ZH.has(line[j])) j++;
    const marksEnd = j;
    while (j < line.length && CLOSERS.has(line[j])) j++;
    // `“推我！”她说。` stays one sentence: a short speech tag after a closed quote is attached.
    if (j > marksEnd && SPEECH_TAG.test(line.slice(j))) {
      i = j - 1;
      continue;
    }
    cuts.push(j);
    i = j - 1;
  }
  return cuts;
}

/**
 * Split text into sentences. A newline always ends a sentence; English ends at `.`, `!`, `?`
 * (not inside numbers such as 3.5 nor after abbreviations such as Mr.), Chinese at `。！？!?`
 * and at `.` unless a digit follows. Closing quotes/brackets after the mark stay with the
 * sentence. Sentences are trimmed and empty ones dropped; no other character is lost.
 */
export function splitSentences(text: string, language: "en" | "zh"): string[] {
  const sentences: string[] = [];
  for (const line of text.split("\n")) {
    const cuts = language === "en" ? englishCuts(line) : chineseCuts(line);
    let from = 0;
    for (const cut of [...cuts, line.length]) {
      const sentence = line.slice(from, cut).trim();
      if (sentence) sentences.push(sentence);
      from = cut;
    }
  }
  return sentences;
}
