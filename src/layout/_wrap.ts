import { joinUnits, type RevealUnit } from "../text/mod.ts";
import { lineBreakOpportunities } from "./_line_breaks.ts";
import type { TextMeasure } from "./_measure.ts";

/** A unit on a line, `x` its left edge from the line start. */
export interface LineUnit extends RevealUnit {
  x: number;
}

/** One wrapped line. */
export interface WrappedLine {
  units: LineUnit[];
  /** Width of the line's ink advance. */
  width: number;
}

/** How to wrap. */
export interface WrapOptions {
  maxWidth: number;
  fontSize: number;
  measure: TextMeasure;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Split a unit wider than a whole line into pieces that fit, at grapheme boundaries (a piece
 * holds at least one grapheme even if that alone is wider).
 */
export function splitOversized(unit: RevealUnit, options: WrapOptions): RevealUnit[] {
  const pieces: RevealUnit[] = [];
  let current = "";
  for (const { segment } of graphemes.segment(unit.text)) {
    if (current && options.measure(current + segment, options.fontSize) > options.maxWidth) {
      pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
      current = "";
    }
    current += segment;
  }
  if (current) {
    pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
  }
  return pieces;
}

/** A unit, or a piece of one, tagged with the unit it came from (pieces on one line re-join). */
interface Piece extends RevealUnit {
  unit: number;
}

/** Start offsets of `units` in `joinUnits(units)`. */
function unitStarts(units: readonly RevealUnit[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  units.forEach((unit, i) => {
    if (i > 0 && unit.spaceBefore) offset += 1;
    starts.push(offset);
    offset += unit.text.length;
  });
  return starts;
}

/** Fills lines greedily with pieces; tracks the width as it goes. */
class LineFiller {
  readonly lines: Piece[][] = [];
  private line: Piece[] = [];
  private width = 0;
  private readonly space: number;

  constructor(private readonly options: WrapOptions) {
    this.space = options.measure(" ", options.fontSize);
  }

  widthOf(pieces: readonly Piece[]): number {
    const { measure, fontSize } = this.options;
    return pieces.reduce(
      (w, p, i) => w + (i > 0 && p.spaceBefore ? this.space : 0) + measure(p.text, fontSize),
      0,
    );
  }

  /** True when `pieces` (of width `w`) fit after what the line holds. */
  fits(pieces: readonly Piece[], w: number): boolean {
    if (this.line.length === 0) return w <= this.options.maxWidth;
    const gap = pieces[0].spaceBefore ? this.space : 0;
    return this.width + gap + w <= this.options.maxWidth;
  }

  get empty(): boolean {
    return this.line.length === 0;
  }

  add(pieces: readonly Piece[], w: number): void {
    const gap = this.line.length > 0 && pieces[0].spaceBefore ? this.space : 0;
    this.line.push(...pieces);
    this.width += gap + w;
  }

  newLine(): void {
    if (this.line.length > 0) this.lines.push(this.line);
    this.line = [];
    this.width = 0;
  }
}

/**
 * Break a run with no usable break opportunity that is wider than a line (the only place a line
 * may end where UAX #14 forbids it). It is cut into its UAX #14 segments (`cuts`: opportunities
 * inside its units), placed greedily from a fresh line; a segment still wider than a line breaks
 * between units where it can, else inside a unit at a grapheme boundary.
 */
function breakOverWideRun(
  run: readonly Piece[],
  starts: readonly number[],
  cuts: ReadonlySet<number>,
  filler: LineFiller,
  options: WrapOptions,
): void {
  const segments: Piece[][] = [[]];
  run.forEach((piece, i) => {
    let from = 0;
    for (let k = 1; k < piece.text.length; k++) {
      if (!cuts.has(starts[i] + k)) continue;
      const spaceBefore = from === 0 && piece.spaceBefore;
      segments.at(-1)!.push({ ...piece, text: piece.text.slice(from, k), spaceBefore });
      segments.push([]);
      from = k;
    }
    const spaceBefore = from === 0 && piece.spaceBefore;
    segments.at(-1)!.push({ ...piece, text: piece.text.slice(from), spaceBefore });
  });
  filler.newLine();
  for (const segment of segments) {
    const w = filler.widthOf(segment);
    if (filler.fits(segment, w)) {
      filler.add(segment, w);
      continue;
    }
    filler.newLine();
    if (w <= options.maxWidth) {
      filler.add(segment, w);
      continue;
    }
    for (const piece of segment) {
      const pw = filler.widthOf([piece]);
      if (!filler.fits([piece], pw)) filler.newLine();
      if (pw <= options.maxWidth) {
        filler.add([piece], pw);
        continue;
      }
      // One unit wider than the line: fill the line, then whole lines, grapheme by grapheme.
      let first = true;
      for (const { segment: g } of graphemes.segment(piece.text)) {
        const part = { ...piece, text: g, spaceBefore: first && piece.spaceBefore };
        first = false;
        const gw = filler.widthOf([part]);
        if (!filler.fits([part], gw)) filler.newLine();
        filler.add([part], gw);
      }
    }
  }
}

/**
 * Cut a sentence's units into runs with no UAX #14 break opportunity between them: a line may
 * end only between two runs (`["buy"], ["16", "/"], ["2"]` for `buy 16 / 2`).
 */
export function glueRuns(units: readonly RevealUnit[]): RevealUnit[][] {
  const starts = unitStarts(units);
  const opportunities = new Set(lineBreakOpportunities(joinUnits(units)));
  const runs: RevealUnit[][] = [];
  units.forEach((unit, i) => {
    if (i === 0 || opportunities.has(starts[i])) runs.push([]);
    runs[runs.length - 1].push(unit);
  });
  return runs;
}

/**
 * Wrap one sentence's units into lines. A line ends only between units at a UAX #14 break
 * opportunity of the sentence's text, filled greedily; units with no opportunity between them
 * (`16 / 2`, `数+小`) stay on one line. A run of such units wider than a line is the only thing
 * broken elsewhere (`breakOverWideRun`); the pieces of a unit broken there become units.
 */
export function wrapUnits(units: readonly RevealUnit[], options: WrapOptions): WrappedLine[] {
  if (units.length === 0) return [];
  const { measure, fontSize } = options;
  const starts = unitStarts(units);
  const opportunities = new Set(lineBreakOpportunities(joinUnits(units)));
  const filler = new LineFiller(options);

  let run: Piece[] = [];
  let runStarts: number[] = [];
  const flush = () => {
    const w = filler.widthOf(run);
    if (filler.fits(run, w)) filler.add(run, w);
    else if (w <= options.maxWidth) {
      filler.newLine();
      filler.add(run, w);
    } else {
      breakOverWideRun(run, runStarts, opportunities, filler, options);
    }
    run = [];
    runStarts = [];
  };
  units.forEach((unit, i) => {
    if (i > 0 && opportunities.has(starts[i])) flush();
    run.push({ ...unit, unit: i });
    runStarts.push(starts[i]);
  });
  flush();
  filler.newLine();

  // Pieces of one unit that ended on one line are that unit again.
  return filler.lines.map((pieces) => {
    const merged: RevealUnit[] = [];
    pieces.forEach((piece, i) => {
      if (i > 0 && pieces[i - 1].unit === piece.unit) merged[merged.length - 1].text += piece.text;
      else merged.push({ text: piece.text, spaceBefore: piece.spaceBefore });
    });
    const space = measure(" ", fontSize);
    const line: WrappedLine = { units: [], width: 0 };
    for (const unit of merged) {
      const x = line.units.length === 0 ? 0 : line.width + (unit.spaceBefore ? space : 0);
      line.units.push({ ...unit, x });
      line.width = x + measure(unit.text, fontSize);
    }
    return line;
  });
}
