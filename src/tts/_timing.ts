import type { TimedSpan } from "./_types.ts";

/** One boundary event from the engine, in seconds. */
export interface Boundary {
  kind: "word" | "sentence";
  text: string;
  start: number;
  end: number;
}

/** The input sentences as spoken in one request: joined text and each sentence's char range. */
export interface TextLayout {
  text: string;
  ranges: Array<{ start: number; end: number }>;
}

/** Collapse whitespace; the same normalisation is used for the request and the mapping. */
export function normalizeSentence(sentence: string): string {
  return sentence.replace(/\s+/g, " ").trim();
}

/** Join sentences with single spaces, remembering where each one sits. */
export function layoutText(sentences: string[]): TextLayout {
  let text = "";
  const ranges: TextLayout["ranges"] = [];
  for (const sentence of sentences.map(normalizeSentence)) {
    if (text.length > 0 && sentence.length > 0) text += " ";
    ranges.push({ start: text.length, end: text.length + sentence.length });
    text += sentence;
  }
  return { text, ranges };
}

interface Piece {
  from: number;
  to: number;
  start: number;
  end: number;
}

/** How far past the cursor a boundary's text may be found before it counts as a mismatch. */
const SEARCH_WINDOW = 400;

/** How boundary texts are found in the spoken text. */
interface PlaceOptions {
  /** Compare lower-cased (default: exact). */
  foldCase?: boolean;
  /** How far past the cursor a text may be found (default {@link SEARCH_WINDOW}). */
  window?: number;
}

/**
 * Place boundary texts on `text`, in order. Whitespace is ignored when matching (the service
 * may normalise it); boundaries whose text is not found nearby are dropped. Pieces give
 * positions in `text`.
 */
function placeBoundaries(
  text: string,
  boundaries: readonly Pick<Boundary, "text" | "start" | "end">[],
  options: PlaceOptions = {},
): Piece[] {
  const fold = options.foldCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const window = options.window ?? SEARCH_WINDOW;
  const compactIndex: number[] = [];
  let compact = "";
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i])) continue;
    const folded = fold(text[i]);
    compact += folded;
    for (let k = 0; k < folded.length; k++) compactIndex.push(i);
  }
  const pieces: Piece[] = [];
  let cursor = 0;
  for (const boundary of boundaries) {
    const needle = fold(boundary.text.replace(/\s+/g, ""));
    if (needle.length === 0) continue;
    const at = compact.indexOf(needle, cursor);
    if (at < 0 || at - cursor > window) continue;
    const last = at + needle.length - 1;
    pieces.push({
      from: compactIndex[at],
      to: compactIndex[last] + 1,
      start: boundary.start,
      end: Math.max(boundary.start, boundary.end),
    });
    cursor = last + 1;
  }
  return pieces;
}

/**
 * Time at which char `pos` is spoken: the start of the first piece reaching past it, or an
 * interpolation when `pos` falls inside a piece (`exact` false then).
 */
function timeAt(pos: number, pieces: Piece[]): { time: number; exact: boolean } | undefined {
  for (const piece of pieces) {
    if (piece.to <= pos) continue;
    if (piece.from >= pos) return { time: piece.start, exact: true };
    const share = (pos - piece.from) / (piece.to - piece.from);
    return { time: piece.start + (piece.end - piece.start) * share, exact: false };
  }
  return undefined;
}

/**
 * Sentence spans from the engine's boundaries: sentence boundaries when present, else word
 * boundaries, mapped onto the input by text. When the service's sentence splits differ from the
 * input's, word boundaries place the inner starts. Spans are contiguous (each lasts until the
 * next one starts, so pauses belong to the sentence before), the first starts at 0 and the last
 * ends at `duration`. With no usable boundary at all, time is shared by text length.
 */
export function sentenceSpans(
  sentences: string[],
  boundaries: Boundary[],
  options: { duration: number },
): TimedSpan[] {
  const layout = layoutText(sentences);
  const { duration } = options;
  const ofKind = (kind: Boundary["kind"]): Boundary[] =>
    boundaries.filter((b) => b.kind === kind).sort((a, b) => a.start - b.start);
  const wordPieces = placeBoundaries(layout.text, ofKind("word"));
  const sentencePieces = placeBoundaries(layout.text, ofKind("sentence"));
  const pieces = sentencePieces.length > 0 ? sentencePieces : wordPieces;
  const starts = layout.ranges.map((range) => {
    if (pieces.length === 0) {
      return layout.text.length === 0 ? 0 : duration * range.start / layout.text.length;
    }
    const found = timeAt(range.start, pieces);
    if (!found) return pieces[pieces.length - 1].end;
    if (found.exact || pieces === wordPieces) return found.time;
    return timeAt(range.start, wordPieces)?.time ?? found.time;
  });
  let previous = 0;
  const clamped = starts.map((start, i) => {
    const value = i === 0 ? 0 : Math.min(duration, Math.max(previous, start));
    previous = value;
    return value;
  });
  return sentences.map((text, i) => ({
    text,
    start: clamped[i],
    end: i + 1 < clamped.length ? clamped[i + 1] : duration,
  }));
}

/** Word spans straight from the word boundaries, clamped to the audio. */
export function wordSpans(boundaries: Boundary[], options: { duration: number }): TimedSpan[] {
  return boundaries
    .filter((b) => b.kind === "word")
    .sort((a, b) => a.start - b.start)
    .map((b) => ({
      text: b.text,
      start: Math.min(options.duration, b.start),
      end: Math.min(options.duration, Math.max(b.start, b.end)),
    }));
}

/** Characters that are not whitespace, counted by code point. */
function nonSpaceLength(text: string): number {
  return [...text.replace(/\s+/gu, "")].length;
}

/**
 * When each part of a sentence starts to be heard. A part (a subtitle screen) starts `offset`
 * non-space characters into the sentence; it starts with the first word boundary found at or
 * after that character (words matched in order, case and spaces ignored), else at the share of
 * the sentence's time its characters before it take. A word time outside the sentence is not
 * trusted. The first part starts with the sentence.
 */
export function partStarts(
  sentence: TimedSpan,
  offsets: readonly number[],
  words: readonly TimedSpan[],
): number[] {
  if (offsets.length <= 1) return [sentence.start];
  const total = nonSpaceLength(sentence.text) || 1;
  const span = sentence.end - sentence.start;
  const spoken = words.filter((w) => w.start >= sentence.start - 1e-6 && w.start < sentence.end);
  const placed = placeBoundaries(sentence.text, spoken, { foldCase: true, window: Infinity })
    .map((piece) => ({
      at: nonSpaceLength(sentence.text.slice(0, piece.from)),
      start: piece.start,
    }));
  return offsets.map((offset, i) => {
    if (i === 0) return sentence.start;
    const time = placed.find((word) => word.at >= offset)?.start;
    return time !== undefined && time > sentence.start && time < sentence.end
      ? time
      : sentence.start + (span * offset) / total;
  });
}
