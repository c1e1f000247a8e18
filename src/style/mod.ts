/**
 * Style: the look of one sample (font, colours, background, sizes) as plain data, chosen purely
 * from (style seed, dataset, row index) and the fonts that can draw the row's text.
 *
 * @example
 * ```ts
 * import { chooseStyle, STYLE_DEFAULTS } from "./mod.ts";
 *
 * const font = { family: "Lora", file: "varied/lora-latin-400-normal.woff2", style: "serif", xHeight: 0.5 } as const;
 * const style = chooseStyle({ dataset: "gsm8k", index: 3 }, {
 *   settings: { ...STYLE_DEFAULTS, style: "varied" },
 *   geometry: { height: 360, fontSize: 28, lineHeight: 32, margin: 15 },
 *   colours: { foreground: "#000000", background: "#FFFFFF" },
 *   seedFont: font,
 *   eligibleFonts: [font],
 * });
 * style.foreground.name; // e.g. "dark blue"
 * ```
 *
 * @module
 */
export {
  type BackgroundKind,
  type BaseGeometry,
  chooseStyle,
  type ChooseStyleOptions,
  type FontChoice,
  type FontStyle,
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
