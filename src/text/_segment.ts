/**
 * Reveal units: the pieces of text that appear one per frame. An English word, or for Chinese one
 * character, with runs of digits / Latin letters / operators kept whole and punctuation glued to
 * its neighbour (so CJK line-break rules hold by construction: a closing mark can never start a
 * line, an opening mark never end one).
 */

/** One reveal unit. `spaceBefore` records whether the source had white space before it. */
export interface RevealUnit {
  text: string;
  spaceBefore: boolean;
}

/** Closing punctuation: glued to the unit before it. */
const CLOSING = new Set([
  ..."，。！？；：、）》」』】〕〉”’…—·,.!?;:)]}%‰℃°",
  "\u3001",
  "\uFF09",
  "\uFF0C",
  "\uFF1A",
  "\uFF1B",
  "\uFF01",
  "\uFF1F",
  "\uFF05",
]);

/** Opening punctuation: glued to the unit after it. */
const OPENING = new Set([..."（《「『【〔〈“‘([{"]);

/** True for characters drawn one em wide that are revealed one at a time. */
export function isWideChar(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
}

/** Split English text into words (white space separated), each a reveal unit. */
function englishUnits(text: string): RevealUnit[] {
  return text.split(/\s+/u).filter((w) => w.length > 0).map((w) => ({
    text: w,
    spaceBefore: true,
  }));
}

/** Latin-script, non-space characters: what Latin/number runs are made of. */
function isNarrow(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return cp < 0x2000 && !/\s/u.test(char);
}

type CharClass = "space" | "wide" | "open" | "close" | "run";

function classify(char: string): CharClass {
  if (/\s/u.test(char)) return "space";
  if (OPENING.has(char)) return "open";
  if (CLOSING.has(char)) return "close";
  if (isWideChar(char)) return "wide";
  return "run";
}

/**
 * Chinese text: one unit per CJK character, Latin/digit/operator runs whole (`3.5`, `2x+1`,
 * `$\frac{3}{5}$`), opening marks glued forward and closing marks glued back.
 */
function chineseUnits(text: string): RevealUnit[] {
  const units: RevealUnit[] = [];
  let pendingOpen = "";
  let pendingSpace = false;
  let runOpen = false; // the last unit is a Latin/digit run still accepting characters
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    const cls = classify(char);
    if (cls === "space") {
      pendingSpace = units.length > 0 || pendingOpen.length > 0;
      runOpen = false;
      continue;
    }
    if (cls === "open") {
      // `(` inside a Latin run (f(x)) stays in the run.
      if (runOpen && /[([{]/.test(char) && !pendingSpace) {
        units[units.length - 1].text += char;
        continue;
      }
      if (pendingOpen.length === 0) pendingOpen = char;
      else pendingOpen += char;
      runOpen = false;
      continue;
    }
    if (cls === "close") {
      const last = units[units.length - 1];
      if (last && pendingOpen.length === 0 && !pendingSpace) {
        last.text += char;
        // ASCII punctuation inside a Latin run keeps it going (3.5, f(x), \frac{3}{5}, 1,000).
        runOpen = runOpen && isNarrow(char) && isNarrow(chars[i + 1] ?? " ");
        continue;
      }
      // Nothing to glue back to: treat like the start of a run.
      units.push({ text: pendingOpen + char, spaceBefore: pendingSpace });
      pendingOpen = "";
      pendingSpace = false;
      runOpen = false;
      continue;
    }
    if (cls === "run" && runOpen && !pendingSpace && pendingOpen.length === 0) {
      units[units.length - 1].text += char;
      continue;
    }
    units.push({ text: pendingOpen + char, spaceBefore: pendingSpace });
    pendingOpen = "";
    pendingSpace = false;
    runOpen = cls === "run";
  }
  if (pendingOpen.length > 0) {
    // A dangling opening mark at the very end: glue it back rather than drop it.
    const last = units[units.length - 1];
    if (last) last.text += pendingOpen;
    else units.push({ text: pendingOpen, spaceBefore: false });
  }
  return units;
}

/** Reveal units of one sentence (or any text) in the given language. */
export function revealUnits(text: string, language: "en" | "zh"): RevealUnit[] {
  return language === "zh" ? chineseUnits(text) : englishUnits(text);
}

/** Rebuild display text from units (spaces where the source had them). */
export function joinUnits(units: readonly RevealUnit[]): string {
  return units.map((u, i) => (i > 0 && u.spaceBefore ? " " : "") + u.text).join("");
}
