/**
 * Paint: a reveal plan (or subtitle frames) → raw pixels, with the bundled fonts in Skia.
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
  splitSubtitle,
  type SplitSubtitleOptions,
  type SubtitleBand,
  subtitleBand,
  type SubtitleBandOptions,
  type SubtitleCue,
  type SubtitlePart,
} from "./subtitles.ts";
