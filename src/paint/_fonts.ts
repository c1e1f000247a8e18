import { createCanvas, GlobalFonts, type SKRSContext2D } from "@napi-rs/canvas";
// @ts-types="@types/fontkit"
import { create as openFont, type Font } from "fontkit";
import { Buffer } from "node:buffer";
import { join } from "node:path";

/** Family names the bundled fonts are registered under, in fallback order. */
export const FONT_FAMILIES = ["DejaVu Sans Mono", "Droid Sans Fallback"] as const;

const FONT_FILES: Record<(typeof FONT_FAMILIES)[number], string> = {
  "DejaVu Sans Mono": "DejaVuSansMono.ttf",
  "Droid Sans Fallback": "DroidSansFallbackFull.ttf",
};

/**
 * The bundled fonts' folder, found from this module's own location (never the working directory),
 * so `deno compile --include fonts` carries it into the binary.
 */
export const FONTS_DIR: string = join(import.meta.dirname!, "..", "..", "fonts");

/** The seed's font files (under {@link FONTS_DIR}), in fallback order. */
export const SEED_FONT_FILES: readonly string[] = FONT_FAMILIES.map((f) => FONT_FILES[f]);

let registered = false;

function fontBytes(family: (typeof FONT_FAMILIES)[number]): Buffer {
  return Buffer.from(Deno.readFileSync(join(FONTS_DIR, FONT_FILES[family])));
}

let covered: Set<number> | null = null;

/** Code points at least one bundled font has a glyph for (read from their cmaps, once). */
function coveredCodePoints(): Set<number> {
  if (covered) return covered;
  const set = new Set<number>();
  for (const family of FONT_FAMILIES) {
    for (const code of (openFont(fontBytes(family)) as Font).characterSet) set.add(code);
  }
  covered = set;
  return set;
}

/**
 * The skip reason if `text` holds a character neither bundled font has a glyph for (it would
 * be drawn as an empty box, or by whatever system font Skia finds), else `undefined`.
 * Line breaks are layout, not glyphs.
 */
export function uncoveredCharacter(text: string): string | undefined {
  const set = coveredCodePoints();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0x0a || set.has(code)) continue;
    const hex = code.toString(16).toUpperCase().padStart(4, "0");
    return `no glyph in the video fonts: U+${hex} '${char}'`;
  }
  return undefined;
}

/**
 * Register the bundled fonts once per process. They are read as bytes (not by path) so the same
 * code works from a checkout and from `deno compile`'s embedded file system.
 */
export function registerFonts(): void {
  if (registered) return;
  for (const family of FONT_FAMILIES) {
    if (!GlobalFonts.register(fontBytes(family), family)) {
      throw new Error(`could not load font ${FONT_FILES[family]}`);
    }
  }
  registered = true;
}

/** CSS font shorthand for the bundled fonts at `size` pixels. */
export function fontSpec(size: number): string {
  return `${size}px ${FONT_FAMILIES.map((f) => `"${f}"`).join(", ")}`;
}

const widthCache = new Map<string, number>();
let measureCtx: SKRSContext2D | null = null;

/**
 * Text width as Skia draws it with the bundled fonts, summed per character (both fonts are
 * fixed-pitch per script, so there is no kerning to lose) and cached.
 */
export function fontMeasure(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) {
    const key = `${fontSize}:${char}`;
    let w = widthCache.get(key);
    if (w === undefined) {
      if (!measureCtx) {
        registerFonts();
        measureCtx = createCanvas(8, 8).getContext("2d");
      }
      measureCtx.font = fontSpec(fontSize);
      w = measureCtx.measureText(char).width;
      widthCache.set(key, w);
    }
    width += w;
  }
  return width;
}
