import {
  contrastRatio,
  DARK_COLOURS,
  LIGHT_COLOURS,
  type NamedColour,
  parseColour,
} from "./_palette.ts";

/** `seed`: the seed's one look; `varied`: a seeded font, colours, background and sizes per row. */
export type StyleName = "seed" | "varied";

/** How a font looks, in a caption's words. */
export type FontStyle = "serif" | "sans-serif" | "monospace" | "handwritten" | "display";

/** What the style of a render is chosen from, resolved once by the command. */
export interface StyleSettings {
  /**
   * The look.
   * @default {"seed"}
   */
  style: StyleName;
  /**
   * The style seed: with the dataset and the row index it decides every varied sample's look.
   * @default {0}
   */
  seed: number;
}

/** The one home of the style defaults. */
export const STYLE_DEFAULTS: Readonly<StyleSettings> = { style: "seed", seed: 0 };

/** A font a sample may be drawn in, as plain data (the painter owns the files). */
export interface FontChoice {
  /** Family name, as a caption or a manifest says it. */
  family: string;
  /** File (or folder of subset files) under the fonts folder, or an absolute path (`--font-dir`). */
  file: string;
  style: FontStyle;
  /** x-height in ems (from the font's OS/2 table). */
  xHeight: number;
}

/**
 * Line alignment between the margins. Flush right is not offered: ragged-left paragraphs of
 * several lines read badly, and most rows run to several lines.
 */
export type TextAlign = "left" | "center";

/** Background kinds. */
export type BackgroundKind = "flat" | "gradient" | "paper";

/** What a sample looks like: plain data that the layout, the painter and the manifest read. */
export interface SampleStyle {
  style: StyleName;
  seed: number;
  /** The font; `null` file: the seed's fonts (DejaVu Sans Mono, Droid Sans Fallback for CJK). */
  font: FontChoice;
  fontSize: number;
  lineHeight: number;
  margin: number;
  /** Where lines sit between the margins (the seed's: `left`). */
  align: TextAlign;
  foreground: NamedColour;
  background: NamedColour;
  backgroundKind: BackgroundKind;
  /** The gradient's second colour (top to bottom); `null` for other kinds. */
  backgroundEnd: NamedColour | null;
  /** Seeds the paper texture; 0 for other kinds. */
  textureSeed: number;
}

/** The sizes a sample's style varies around (the command's resolved geometry). */
export interface BaseGeometry {
  height: number;
  fontSize: number;
  lineHeight: number;
  margin: number;
}

/** What `chooseStyle` reads besides the row key. */
export interface ChooseStyleOptions {
  settings: StyleSettings;
  geometry: BaseGeometry;
  /** The seed's colours (`--foreground`, `--background`). */
  colours: { foreground: string; background: string };
  /** The seed's font. */
  seedFont: FontChoice;
  /** Fonts that draw every character of this row's text, in a fixed order. */
  eligibleFonts: readonly FontChoice[];
  /**
   * The row's language: Chinese lines get a looser pitch (see {@link LINE_PITCH}).
   * @default {"en"}
   */
  language?: "en" | "zh";
}

/**
 * A varied line pitch's range, as multiples of the font size. Han glyphs fill their em, so a
 * Chinese page needs more room between lines: tesseract (as `videoword score` reads) misread
 * 12 held-out BELLE rows in WenQuanYi Micro Hei at 4.6 % CER with a 1.12 pitch, 2.0 % at 1.2,
 * 1.4 % at 1.25 (English reads the same at 1.12).
 */
export const LINE_PITCH: Readonly<Record<"en" | "zh", { min: number; max: number }>> = {
  en: { min: 1.12, max: 1.32 },
  zh: { min: 1.2, max: 1.4 },
};

/** The paper texture's largest step away from the background, per channel (of 255). */
export const PAPER_AMPLITUDE = 8;

/** The share of varied samples whose lines are centred (the rest are flush left). */
export const ALIGN_CENTER_SHARE = 1 / 3;

/**
 * Room (in ems) a varied sample's layout keeps between the margins and the text on every side,
 * for ink past a glyph's advance (Caveat's swashes, Open Sans's and ZCOOL KuaiLe's 'J' and 'T')
 * or past the line's nominal 0.9 em ascent and 0.25 em descent (Merriweather, Lora): without it
 * the painter's clip cut up to 0.11 em off such glyphs (tests/style_test.ts measures the ink).
 */
export const VARIED_INK_INSET = 0.15;

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

/** Smallest x-height in pixels at 360 lines; scaled with the height. */
export const MIN_X_HEIGHT_360 = 11;

/** The smallest x-height (px) a varied sample may have at `height` lines. */
export function minXHeight(height: number): number {
  return Math.round((MIN_X_HEIGHT_360 * height) / 360);
}

function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * mulberry32: a small, well-mixed 32-bit generator; numbers in [0, 1), the same for the same seed
 * (the style chooser's and the paper texture's randomness).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

/** `colour` moved `step` levels per channel toward `target`. */
function toward(colour: readonly number[], target: readonly number[], step: number): number[] {
  return colour.map((c, i) =>
    c + Math.sign(target[i] - c) * Math.min(step, Math.abs(target[i] - c))
  );
}

/** The worst contrast text of `fg` meets on a background of this kind. */
export function worstContrast(
  fg: string,
  background: { kind: BackgroundKind; start: string; end: string | null },
): number {
  const f = parseColour(fg);
  const a = parseColour(background.start);
  const candidates: number[][] = [a];
  if (background.kind === "paper") candidates.push(toward(a, f, PAPER_AMPLITUDE));
  if (background.end) {
    const b = parseColour(background.end);
    candidates.push(b, a.map((c, i) => (c + b[i]) / 2));
  }
  return Math.min(...candidates.map((c) => contrastRatio(f, c)));
}

const KINDS: readonly BackgroundKind[] = ["flat", "gradient", "paper"];

/**
 * The style of one sample: a pure function of (style seed, dataset, row index) and the fonts
 * that can draw its text. `seed` gives the seed's look; `varied` draws a font, a text and
 * background colour pair of WCAG contrast ≥ 4.5 (worst point of the background), a background
 * kind, a font size (x-height never under {@link minXHeight}; 0.85–1.1 × the command's), a line
 * pitch ({@link LINE_PITCH}: 1.12–1.32 × the size, Chinese 1.2–1.4), a margin (1–2 × the command's) and an alignment (left or centre).
 */
export function chooseStyle(
  key: { dataset: string; index: number },
  options: ChooseStyleOptions,
): SampleStyle {
  const { settings, geometry, colours } = options;
  if (settings.style === "seed") {
    return {
      style: "seed",
      seed: settings.seed,
      font: options.seedFont,
      fontSize: geometry.fontSize,
      lineHeight: geometry.lineHeight,
      margin: geometry.margin,
      align: "left",
      foreground: nameColour(colours.foreground),
      background: nameColour(colours.background),
      backgroundKind: "flat",
      backgroundEnd: null,
      textureSeed: 0,
    };
  }
  const random = seededRandom(hashString(`${key.dataset}\u0000${key.index}`, settings.seed));
  const kind = pick(KINDS, random);
  const inverted = random() < 0.2;
  const [textSide, groundSide] = inverted
    ? [LIGHT_COLOURS, DARK_COLOURS]
    : [DARK_COLOURS, LIGHT_COLOURS];
  const foreground = pick(textSide, random);
  const background = pick(groundSide, random);
  const end = kind === "gradient"
    ? pick(groundSide.filter((c) => c.hex !== background.hex), random)
    : null;
  // Draws are made in a fixed order whatever passes, so one failed pair never shifts later ones.
  const fontPick = random();
  const sizeFactor = 0.85 + 0.25 * random();
  const pitch = LINE_PITCH[options.language ?? "en"];
  const lineFactor = pitch.min + (pitch.max - pitch.min) * random();
  const marginFactor = 1 + random();
  const textureSeed = kind === "paper" ? Math.floor(random() * 2 ** 31) : 0;
  // Drawn last, so the looks chosen before alignment varied keep their other draws.
  const align: TextAlign = random() < ALIGN_CENTER_SHARE ? "center" : "left";
  let pair = { foreground, background, end };
  const ok = (p: typeof pair) =>
    worstContrast(p.foreground.hex, { kind, start: p.background.hex, end: p.end?.hex ?? null }) >=
      MIN_CONTRAST;
  if (!ok(pair)) {
    // The darkest/lightest pair always passes.
    pair = { foreground: textSide[0], background: groundSide[0], end: null };
    if (kind === "gradient") {
      pair.end = groundSide.find((c) => ok({ ...pair, end: c }) && c !== groundSide[0]) ?? null;
    }
  }
  const fonts = options.eligibleFonts.length > 0 ? options.eligibleFonts : [options.seedFont];
  const font = fonts[Math.min(fonts.length - 1, Math.floor(fontPick * fonts.length))];
  const fontSize = Math.max(
    Math.round(geometry.fontSize * sizeFactor),
    Math.ceil(minXHeight(geometry.height) / Math.max(0.3, font.xHeight)),
  );
  return {
    style: "varied",
    seed: settings.seed,
    font,
    fontSize,
    lineHeight: Math.max(fontSize + 1, Math.round(fontSize * lineFactor)),
    margin: Math.round(geometry.margin * marginFactor),
    align,
    foreground: pair.foreground,
    background: pair.background,
    backgroundKind: kind === "gradient" && pair.end === null ? "flat" : kind,
    backgroundEnd: kind === "gradient" ? pair.end : null,
    textureSeed,
  };
}

/** The palette's name of `hex`, else the nearest palette colour's name ("near black"). */
export function nameColour(hex: string): NamedColour {
  const rgb = parseColour(hex);
  let best: NamedColour = LIGHT_COLOURS[0];
  let distance = Infinity;
  for (const colour of [...LIGHT_COLOURS, ...DARK_COLOURS]) {
    const c = parseColour(colour.hex);
    const d = c.reduce((sum, v, i) => sum + (v - rgb[i]) ** 2, 0);
    if (d < distance) [best, distance] = [colour, d];
  }
  return { name: distance === 0 ? best.name : `near ${best.name}`, hex: hex.toUpperCase() };
}

/** The manifest's `style` object. */
export function styleRecord(style: SampleStyle): Record<string, unknown> {
  return {
    style: style.style,
    seed: style.seed,
    font_family: style.font.family,
    font_file: style.font.file,
    font_style: style.font.style,
    font_size: style.fontSize,
    line_height: style.lineHeight,
    margin: style.margin,
    align: style.align,
    foreground: style.foreground.hex,
    foreground_name: style.foreground.name,
    background: style.background.hex,
    background_name: style.background.name,
    background_kind: style.backgroundKind,
    background_end: style.backgroundEnd?.hex ?? null,
    texture_seed: style.textureSeed,
  };
}
