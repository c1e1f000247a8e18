/** Cleaning steps shared by the dataset modules: text normalisation and field access. */
import type { CleanResult } from "./_types.ts";

/** A field's string value, or the skip reason when it is missing or not a string. */
export type FieldResult = { ok: true; value: string } | { ok: false; reason: string };

/** Why `row` cannot be read at all (not a plain object), or `undefined` if it is one. */
export function notAnObject(row: unknown): string | undefined {
  if (row === null) return "not an object: null";
  if (Array.isArray(row)) return "not an object: array";
  if (typeof row !== "object") return `not an object: ${typeof row}`;
  return undefined;
}

/** Read `row[name]` as a string: missing/null → `missing field 'name'`, other types → `wrong type`. */
export function stringField(row: unknown, name: string): FieldResult {
  const bad = notAnObject(row);
  if (bad) return { ok: false, reason: bad };
  const value = (row as Record<string, unknown>)[name];
  if (value === undefined) return { ok: false, reason: `missing field '${name}'` };
  if (value === null) return { ok: false, reason: `missing field '${name}': null` };
  if (typeof value !== "string") {
    const kind = Array.isArray(value) ? "array" : typeof value;
    return { ok: false, reason: `wrong type '${name}': ${kind}` };
  }
  return { ok: true, value };
}

// Zero-width characters and the BOM: invisible, and they break word segmentation.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// C0/C1 controls except \n (tabs were turned into spaces before this runs).
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/**
 * Normalise raw text for display: line endings to `\n`, tabs to spaces, control and zero-width
 * characters removed, NFC.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL, "")
    .replace(ZERO_WIDTH, "")
    .normalize("NFC");
}

/** Collapse runs of spaces, trim every line and drop blank lines; keeps the `\n` structure. */
export function tidyLines(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trim())
    .filter((line) => line.length > 0)
    .join("\n");
}

const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

/** The reason a display text cannot be drawn by the video fonts, if any (emoji have no glyphs). */
export function unsupportedCharacter(text: string): string | undefined {
  const match = EMOJI.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `unsupported character: emoji U+${code}`;
}

// Bidi embedding, override and isolate controls and the directional marks: they make the frame
// read differently from the manifest's text.
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// Three or more combining marks in a row stack into a column through the lines above and below.
const MARK_PILE = /\p{M}{3,}/u;

function hex(char: string): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * The skip reason if `text` cannot be shown exactly as the manifest states it: an unpaired
 * surrogate, a U+FFFD left by a decoder that met invalid UTF-8 (e.g. in a Parquet string),
 * a bidi control character, or more than two combining marks on one base character.
 */
export function undisplayableText(text: string): string | undefined {
  if (!text.isWellFormed()) {
    const lone = [...text].find((char) => /^[\uD800-\uDFFF]$/.test(char))!;
    return `unpaired surrogate: U+${hex(lone)}`;
  }
  if (text.includes("\uFFFD")) {
    return "invalid UTF-8: U+FFFD replacement character in the source text";
  }
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `bidi control character: U+${hex(bidi[0])}`;
  const pile = MARK_PILE.exec(text);
  if (pile) return `too many combining marks: ${[...pile[0]].length} on one character`;
  return undefined;
}

/** Minimum lengths, in characters, of a usable prompt and response. */
export interface MinLengths {
  prompt: number;
  response: number;
}

/** Final checks shared by every dataset: non-empty, long enough, drawable. */
export function finish(prompt: string, response: string, min: MinLengths): CleanResult {
  const undisplayable = undisplayableText(prompt) ?? undisplayableText(response);
  if (undisplayable) return { ok: false, reason: undisplayable };
  if (!prompt) return { ok: false, reason: "empty prompt" };
  if (!response) return { ok: false, reason: "empty response" };
  if ([...prompt].length < min.prompt) {
    return { ok: false, reason: `too short: prompt has ${[...prompt].length} characters` };
  }
  if ([...response].length < min.response) {
    return { ok: false, reason: `too short: response has ${[...response].length} characters` };
  }
  const unsupported = unsupportedCharacter(prompt) ?? unsupportedCharacter(response);
  if (unsupported) return { ok: false, reason: unsupported };
  return { ok: true, prompt, response };
}
