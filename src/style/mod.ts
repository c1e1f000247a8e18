/**
 * Style: the look of one sample (font, colours, background, sizes) as plain data, chosen purely
 * from (style seed, dataset, row index) and the fonts that can draw the row's text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseStyle, STYLE_DEFAULTS } from "./mod.ts";
 *
 * const file = "varied/lora-latin-400-normal.woff2";
 * const font = { family: "Lora", file, style: "serif", xHeight: 0.5 } as const;
 * const options = {
 *   settings: { ...STYLE_DEFAULTS, style: "varied" as const },
 *   geometry: { height: 360, fontSize: 28, lineHeight: 32, margin: 15 },
 *   colours: { foreground: "#000000", background: "#FFFFFF" },
 *   seedFont: font,
 *   eligibleFonts: [font],
 * };
 * const style = chooseStyle({ dataset: "gsm8k", index: 3 }, options);
 * // Seeded by the row: the same row gets the same look, e.g. "dark red" on "pale pink".
 * assert.deepEqual(chooseStyle({ dataset: "gsm8k", index: 3 }, options), style);
 * assert.notEqual(style.foreground.hex, style.background.hex);
 * const seedLook = { ...options, settings: STYLE_DEFAULTS }; // --style seed: the given look
 * const seed = chooseStyle({ dataset: "gsm8k", index: 3 }, seedLook);
 * assert.deepEqual([seed.foreground.hex, seed.background.hex], ["#000000", "#FFFFFF"]);
 * ```
 *
 * @module
 */
export {
  ALIGN_CENTER_SHARE,
  type BackgroundKind,
  type BaseGeometry,
  chooseStyle,
  type ChooseStyleOptions,
  type FontChoice,
  type FontStyle,
  LINE_PITCH,
  MIN_CONTRAST,
  MIN_X_HEIGHT_360,
  minXHeight,
  nameColour,
  PAPER_AMPLITUDE,
  type SampleStyle,
  seededRandom,
  STYLE_DEFAULTS,
  type StyleName,
  styleRecord,
  type StyleSettings,
  type TextAlign,
  VARIED_INK_INSET,
  worstContrast,
} from "./_style.ts";
export {
  contrastRatio,
  DARK_COLOURS,
  formatColour,
  LIGHT_COLOURS,
  type NamedColour,
  parseColour,
  relativeLuminance,
} from "./_palette.ts";
