/**
 * The subtitle band of narrated videos: its geometry, and a sentence cut into screens of at most
 * two lines. Pure, like the rest of layout.
 */
import { withDefaults } from "../defaults/mod.ts";
import { joinUnits, type RevealUnit, revealUnits } from "../text/mod.ts";
import { monospaceMeasure, type TextMeasure } from "./_measure.ts";
import { glueRuns, splitOversized, wrapUnits } from "./_wrap.ts";
import { scaleToHeight } from "./_scale.ts";

/** Geometry of the subtitle band; unset fields take {@link SUBTITLE_BAND_DEFAULTS}. */
export interface SubtitleBandOptions {
  /**
   * Frame width.
   * @default {640}
   */
  width?: number;
  /**
   * Frame height; the band sits at its bottom.
   * @default {360}
   */
  height?: number;
  /**
   * Subtitle font size in pixels.
   * @default {36}
   */
  fontSize?: number;
  /**
   * Subtitle line pitch in pixels.
   * @default {44}
   */
  lineHeight?: number;
  /**
   * Lines one subtitle may take.
   * @default {2}
   */
  maxLines?: number;
  /**
   * Blank space left and right of the text.
   * @default {20}
   */
  paddingX?: number;
  /**
   * Blank space above and below the text.
   * @default {10}
   */
  paddingY?: number;
}

/** The one home of the subtitle band defaults. */
export const SUBTITLE_BAND_DEFAULTS: Readonly<Required<SubtitleBandOptions>> = {
  width: 640,
  height: 360,
  fontSize: 36,
  lineHeight: 44,
  maxLines: 2,
  paddingX: 20,
  paddingY: 10,
};

/** The resolved band geometry. */
export interface SubtitleBand {
  width: number;
  /** First row of the band. */
  top: number;
  /** Rows of the band (to the frame's bottom). */
  height: number;
  fontSize: number;
  lineHeight: number;
  maxLines: number;
  /** Widest a subtitle line may be. */
  maxWidth: number;
}

/** Resolve the band geometry: `maxLines` lines plus padding, at the bottom of the frame. */
export function subtitleBand(options: SubtitleBandOptions = {}): SubtitleBand {
  const band = withDefaults(SUBTITLE_BAND_DEFAULTS, options);
  const height = band.maxLines * band.lineHeight + 2 * band.paddingY;
  return {
    width: band.width,
    top: band.height - height,
    height,
    fontSize: band.fontSize,
    lineHeight: band.lineHeight,
    maxLines: band.maxLines,
    maxWidth: band.width - 2 * band.paddingX,
  };
}

/**
 * The band for a `width` × `height` frame: the default sizes are set for 360 lines and scale
 * with the frame's height (rounded to whole pixels).
 */
export function scaledSubtitleBand(width: number, height: number): SubtitleBand {
  const d = SUBTITLE_BAND_DEFAULTS;
  const scaled = (px: number) => scaleToHeight(px, height, d.height);
  return subtitleBand({
    width,
    height,
    fontSize: scaled(d.fontSize),
    lineHeight: scaled(d.lineHeight),
    paddingX: scaled(d.paddingX),
    paddingY: scaled(d.paddingY),
  });
}

/** One subtitle screen: up to `maxLines` lines, and where it starts in its sentence. */
export interface SubtitlePart {
  lines: string[];
  /** Non-space characters of the sentence before this part (for timing the part). */
  offset: number;
}

/** Options of `splitSubtitle`. */
export interface SplitSubtitleOptions {
  language: "en" | "zh";
  band?: SubtitleBand;
  /**
   * Text width function.
   * @default {monospaceMeasure}
   */
  measure?: TextMeasure;
}

function nonSpaceLength(text: string): number {
  return [...text.replace(/\s+/gu, "")].length;
}

/**
 * Wrap one sentence for the band and cut it into screens of at most `maxLines` lines, at word
 * (English) or character (Chinese) boundaries. Screens are balanced: a sentence needing three
 * lines shows as two screens of similar length rather than two lines and a leftover.
 */
export function splitSubtitle(text: string, options: SplitSubtitleOptions): SubtitlePart[] {
  const band = options.band ?? subtitleBand();
  const wrapOptions = {
    maxWidth: band.maxWidth,
    fontSize: band.fontSize,
    measure: options.measure ?? monospaceMeasure,
  };
  const units = revealUnits(text, options.language).flatMap((unit) =>
    splitOversized(unit, wrapOptions)
  );
  if (units.length === 0) return [{ lines: [text.trim()], offset: 0 }];
  const wrap = (list: RevealUnit[]): RevealUnit[][] =>
    wrapUnits(list, wrapOptions).map((line) => line.units);

  const lines = wrap(units);
  const screens = Math.ceil(lines.length / band.maxLines);
  // Screens are cut where a line may end: between runs with a UAX #14 opportunity (a run too
  // long for one screen alone may be cut between its units).
  const items = glueRuns(units).flatMap((run) =>
    run.length > 1 && wrap(run).length > band.maxLines ? run.map((unit) => [unit]) : [run]
  );
  const length = (item: RevealUnit[]) => item.reduce((n, u) => n + nonSpaceLength(u.text), 0);
  // Balance: aim each screen at an equal share of the characters, each still fitting.
  const groups: RevealUnit[][] = [];
  if (screens <= 1) {
    groups.push(units);
  } else {
    const total = units.reduce((n, u) => n + nonSpaceLength(u.text), 0);
    let rest = items;
    let taken = 0;
    for (let s = 0; s < screens - 1 && rest.length > 0; s++) {
      const target = (total * (s + 1)) / screens;
      let count = 0;
      while (count < rest.length) {
        const next = taken + length(rest[count]);
        // Stop at the boundary nearest the target share.
        if (count > 0 && next > target && next - target > target - taken) break;
        const trial = rest.slice(0, count + 1).flat();
        if (wrap(trial).length > band.maxLines) break;
        taken = next;
        count++;
      }
      if (count === 0) taken += length(rest[0]);
      count = Math.max(1, count);
      groups.push(rest.slice(0, count).flat());
      rest = rest.slice(count);
    }
    // The remainder may still need more than one screen (balancing took less): greedy for it.
    let pending: RevealUnit[] = [];
    for (const item of rest) {
      const trial = [...pending, ...item];
      if (pending.length > 0 && wrap(trial).length > band.maxLines) {
        groups.push(pending);
        pending = [...item];
      } else {
        pending = trial;
      }
    }
    if (pending.length > 0) groups.push(pending);
  }

  const parts: SubtitlePart[] = [];
  let offset = 0;
  for (const group of groups) {
    parts.push({ lines: wrap(group).map(joinUnits), offset });
    offset += group.reduce((n, u) => n + nonSpaceLength(u.text), 0);
  }
  return parts;
}
