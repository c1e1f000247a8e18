import type { RevealUnit } from "../text/mod.ts";
import type { TextMeasure } from "./measure.ts";

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

/** Split a unit wider than a whole line into pieces that fit (the only in-word break allowed). */
export function splitOversized(unit: RevealUnit, options: WrapOptions): RevealUnit[] {
  const pieces: RevealUnit[] = [];
  let current = "";
  for (const char of unit.text) {
    if (current && options.measure(current + char, options.fontSize) > options.maxWidth) {
      pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
      current = "";
    }
    current += char;
  }
  if (current) {
    pieces.push({ text: current, spaceBefore: pieces.length === 0 ? unit.spaceBefore : false });
  }
  return pieces;
}

/**
 * Greedy line filling at unit boundaries: a line breaks only between units (whole English
 * words; Chinese characters with their punctuation), except a unit wider than a line.
 */
export function wrapUnits(units: readonly RevealUnit[], options: WrapOptions): WrappedLine[] {
  const { maxWidth, fontSize, measure } = options;
  const space = measure(" ", fontSize);
  const lines: WrappedLine[] = [];
  let line: WrappedLine = { units: [], width: 0 };
  for (const original of units) {
    const width = measure(original.text, fontSize);
    const parts = width > maxWidth ? splitOversized(original, options) : [original];
    for (const unit of parts) {
      const w = parts.length === 1 ? width : measure(unit.text, fontSize);
      const gap = line.units.length > 0 && unit.spaceBefore ? space : 0;
      if (line.units.length > 0 && line.width + gap + w > maxWidth) {
        lines.push(line);
        line = { units: [], width: 0 };
      }
      const x = line.units.length > 0 ? line.width + gap : 0;
      line.units.push({ ...unit, x });
      line.width = x + w;
    }
  }
  if (line.units.length > 0) lines.push(line);
  return lines;
}
