/**
 * Paint: a reveal plan (or a narrated picture) → raw pixels, with the bundled fonts in Skia.
 *
 * @module
 */
export { FONT_FAMILIES, fontMeasure, fontSpec, registerFonts } from "./fonts.ts";
export { type PaintedFrames, paintFrames, type PaintOptions, type PixelFormat } from "./frames.ts";
export {
  BAND_FILL,
  type NarratedPicture,
  paintNarrated,
  type PromptPage,
  type SubtitleCue,
} from "./narrated_frames.ts";
