/**
 * Text comparison for OCR scores: one normalisation for expected and read text, edit distance
 * with its alignment (for the report's marked differences), and the math answer a text states.
 */

/** CJK ideographs and CJK/full-width punctuation: compared per character, spaces between dropped. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/u;

/** A character a space separates from the next word: a letter or a digit that is not CJK. */
const isWordChar = (char: string): boolean => /[\p{L}\p{N}]/u.test(char) && !CJK.test(char);

/**
 * Normalise for comparison: NFKC (full-width forms to ASCII, so tesseract's ":" equals the
 * painted "："); English: whitespace runs to one space, no space next to a CJK character (Chinese has no
 * spaces; OCR engines insert them between ideographs) nor next to punctuation or a symbol, trimmed.
 * In a monospace font every glyph has a full cell, so a comma or an operator stands in a gap that
 * reads as a space or not at the OCR's whim ("80,000" read "80, 000", "16 - 3" read "16-3"): only
 * the space between two letters or digits separates words on the frame, and only it is compared.
 */
export function normalizeText(text: string, language: "en" | "zh" = "en"): string {
  // Chinese: no whitespace at all (tesseract spaces out "3 . 3" and ideographs alike).
  if (language === "zh") return text.normalize("NFKC").replace(/\s+/gu, "");
  const collapsed = text.normalize("NFKC").replace(/\s+/gu, " ").trim();
  let out = "";
  const chars = [...collapsed];
  chars.forEach((char, i) => {
    if (char === " " && (!isWordChar(chars[i - 1] ?? "") || !isWordChar(chars[i + 1] ?? ""))) {
      return;
    }
    out += char;
  });
  return out;
}

/** One step of an alignment of `expected` onto `read`. */
export interface EditOp {
  op: "same" | "sub" | "del" | "ins";
  /** Expected character (empty for `ins`). */
  expected: string;
  /** Read character (empty for `del`). */
  read: string;
}

/** Levenshtein distance between code-point sequences, with one optimal alignment. */
export function alignText(expected: string, read: string): { distance: number; ops: EditOp[] } {
  const a = [...expected];
  const b = [...read];
  const width = b.length + 1;
  const d = new Uint32Array((a.length + 1) * width);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * width] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i * width + j] = Math.min(
        d[(i - 1) * width + j] + 1,
        d[i * width + j - 1] + 1,
        d[(i - 1) * width + j - 1] + cost,
      );
    }
  }
  const ops: EditOp[] = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 || j > 0) {
    const here = d[i * width + j];
    if (i > 0 && j > 0 && here === d[(i - 1) * width + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)) {
      ops.push({ op: a[i - 1] === b[j - 1] ? "same" : "sub", expected: a[i - 1], read: b[j - 1] });
      i--;
      j--;
    } else if (i > 0 && here === d[(i - 1) * width + j] + 1) {
      ops.push({ op: "del", expected: a[i - 1], read: "" });
      i--;
    } else {
      ops.push({ op: "ins", expected: "", read: b[j - 1] });
      j--;
    }
  }
  return { distance: d[a.length * width + b.length], ops: ops.reverse() };
}

/**
 * The scoring version every per-video score line records; a resumed `score` keeps a line only
 * when its version (and OCR engine) is this run's, and reads the video again otherwise. Bump it
 * whenever the same video and manifest line would score differently: the normalisation or the
 * edit count here ({@link normalizeText}, {@link charErrors}, {@link exactLines},
 * {@link extractAnswer}), the OCR settings (frames chosen, crops, scale, tesseract's arguments),
 * or the expectation rules (what a page or a subtitle cue is expected to show); for the last two
 * bump {@link READ_VERSION} as well.
 *
 * 1: every line before the field (lines without it count as 1).
 * 2: English CER no longer counts a space next to punctuation; narrated videos read cue by cue.
 */
export const SCORE_VERSION = 2;

/**
 * The part of {@link SCORE_VERSION} that changes what is read: bump both when the OCR settings
 * (frames chosen, crops, scale, tesseract's arguments) or the expectation rules change. A line of
 * another scoring version but this read version (and OCR engine) is scored again from its stored
 * reads, without OCR, where that is exact (own videos: every page and cue's read is stored).
 *
 * 1: every line before the field (lines without it are read again).
 */
export const READ_VERSION = 1;

/** Edits and reference length (code points) of `read` against `expected`, both normalised. */
export function charErrors(
  expected: string,
  read: string,
  language: "en" | "zh" = "en",
): { edits: number; length: number } {
  const e = normalizeText(expected, language);
  const r = normalizeText(read, language);
  return { edits: alignText(e, r).distance, length: [...e].length };
}

/** How many of `expected` lines the read lines hold exactly (normalised; each read line once). */
export function exactLines(
  expected: string[],
  read: string[],
  language: "en" | "zh" = "en",
): number {
  const pool = read.map((line) => normalizeText(line, language)).filter((line) => line !== "");
  let hits = 0;
  for (const line of expected.map((line) => normalizeText(line, language))) {
    const at = pool.indexOf(line);
    if (at >= 0) {
      hits++;
      pool.splice(at, 1);
    }
  }
  return hits;
}

/**
 * The final answer a math text states: the number after the last "the answer is", "####" or
 * "答案是"/"答案：" (commas in numbers dropped, a trailing ".0" kept as written); null if none.
 */
export function extractAnswer(text: string): string | null {
  const flat = normalizeText(text, /[\u3400-\u9fff]/u.test(text) ? "zh" : "en").replace(
    /(\d),(?=\d{3}\b)/g,
    "$1",
  );
  const pattern =
    /(?:the answer is\s*:?|####|答案(?:是|:)[^\d\n-]{0,20}?)\s*\$?\s*(-?\d+(?:\.\d+)?(?:\/\d+)?)/gi;
  let answer: string | null = null;
  for (const match of flat.matchAll(pattern)) answer = match[1];
  return answer;
}

/** Whether two extracted answers are the same number (`72` equals `72.0`). */
export function sameAnswer(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) < 1e-9;
}
