import type { TextMeasure } from "./_measure.ts";
import {
  geometryFor,
  type LayoutSkip,
  type PlacedText,
  placePromptLine,
  sentenceUnits,
  wrapSentences,
} from "./_plan.ts";

/** Options of `promptPages`. */
export interface PromptPagesOptions {
  /** Frame width in pixels. */
  width: number;
  /** Bottom of the prompt area in pixels (a narrated video's subtitle band top). */
  bottom: number;
  /** Blank border of the prompt area. */
  margin: number;
  /** Largest font size tried. */
  fontSize: number;
  /** Smallest font size tried (capped at `fontSize`). */
  minFontSize: number;
  language: "en" | "zh";
  /** Text width function (default: monospace metrics, as `revealPlan`). */
  measure?: TextMeasure;
}

/** The prompt cut into pages, and the font size they are set in. */
export interface PromptPages {
  pages: PlacedText[][];
  fontSize: number;
}

/**
 * Lay out a prompt alone (a narrated video's, above its subtitle band) with the silent layout's
 * wrapping and geometry: every sentence starts a line, lines are placed as `revealPlan` places
 * prompt lines, and the line pitch keeps the layout's default 32:28 ratio to the font. Shrinks
 * the font until the prompt fits one page; failing that, takes the fewest pages the smallest
 * font needs, in the largest font that needs no more, with the lines spread evenly over them.
 */
export function promptPages(
  sentences: string[],
  options: PromptPagesOptions,
): PromptPages | LayoutSkip {
  const units = sentenceUnits(sentences, options.language);
  if (units.length === 0) return { skip: "empty prompt" };
  const { width, margin, measure } = options;
  const min = Math.min(options.minFontSize, options.fontSize);
  const candidates: PromptPages[] = [];
  for (let fontSize = options.fontSize; fontSize >= min; fontSize--) {
    // No base size or pitch given: the pitch scales from the layout's defaults (28 px → 32 px).
    const g = geometryFor(fontSize, { width, margin, measure });
    const lines = wrapSentences(units, g);
    const perPage = Math.max(1, Math.floor((options.bottom - 2 * margin) / g.lineHeight));
    const count = Math.ceil(lines.length / perPage);
    const size = Math.ceil(lines.length / count);
    const pages: PlacedText[][] = [];
    for (let i = 0; i < lines.length; i += size) {
      pages.push(
        lines.slice(i, i + size).map((line, row) =>
          placePromptLine(line, margin + row * g.lineHeight, g)
        ),
      );
    }
    if (pages.length === 1) return { pages, fontSize };
    candidates.push({ pages, fontSize });
  }
  const fewest = Math.min(...candidates.map((c) => c.pages.length));
  return candidates.find((c) => c.pages.length === fewest)!;
}
