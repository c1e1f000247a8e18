/**
 * The one scaling rule: sizes are set for a frame 360 lines tall and scale with the frame's
 * height, rounded to whole pixels (text, margins, the subtitle band, the smallest prompt font).
 */
import { LAYOUT_DEFAULTS } from "./_plan.ts";

/** `px`, set for a frame `base` lines tall (default 360), at a frame `height` lines tall. */
export function scaleToHeight(px: number, height: number, base = LAYOUT_DEFAULTS.height): number {
  return Math.round(px * (height / base));
}

/** Font size, line pitch and margin for a frame `height` lines tall (28 / 32 / 15 at 360). */
export function scaledLayout(
  height: number,
): { fontSize: number; lineHeight: number; margin: number } {
  return {
    fontSize: scaleToHeight(LAYOUT_DEFAULTS.fontSize, height),
    lineHeight: scaleToHeight(LAYOUT_DEFAULTS.lineHeight, height),
    margin: scaleToHeight(LAYOUT_DEFAULTS.margin, height),
  };
}
