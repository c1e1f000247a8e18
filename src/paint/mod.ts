/**
 * Paint: a reveal plan (or a narrated picture) → raw pixels, with the bundled fonts in Skia.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LAYOUT_DEFAULTS, revealPlan } from "../layout/mod.ts";
 * import { fontMeasure, PAINT_DEFAULTS, paintFrames } from "./mod.ts";
 *
 * const layout = { ...LAYOUT_DEFAULTS, measure: fontMeasure };
 * const plan = revealPlan(["What is 2 + 3?"], ["5."], layout);
 * assert.ok(!("skip" in plan));
 * const painted = paintFrames(plan, PAINT_DEFAULTS);
 * assert.equal(painted.pixelFormat, "gray"); // one byte per pixel: black text on white
 * let count = 0;
 * for (const frame of painted.frames) { // one buffer, updated in place: read it before the next
 *   assert.equal(frame.length, 640 * 360);
 *   if (count++ === 0) assert.ok(frame.some((grey) => grey < 128)); // the prompt is on frame 0
 * }
 * assert.equal(count, plan.frames.length);
 * ```
 *
 * @module
 */
export {
  FONT_FAMILIES,
  fontMeasure,
  FONTS_DIR,
  fontSpec,
  registerFonts,
  SEED_FONT_FILES,
  uncoveredCharacter,
} from "./_fonts.ts";
export {
  BUNDLED_FONTS,
  fileFontMeasure,
  fileFontSpec,
  fontCatalog,
  fontsCovering,
  SEED_FONT_FILE,
} from "./_font_catalog.ts";
export {
  PAINT_DEFAULTS,
  type PaintedFrames,
  paintFrames,
  type PaintLook,
  type PaintOptions,
  type PaintSettings,
  type PixelFormat,
} from "./_frames.ts";
export {
  BAND_FILL,
  type NarratedPicture,
  type NarratedStyle,
  paintNarrated,
  type PromptPage,
  type SubtitleCue,
} from "./_narrated_frames.ts";
