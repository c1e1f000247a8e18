import { createCanvas, GlobalFonts, type SKRSContext2D } from "@napi-rs/canvas";
import { Buffer } from "node:buffer";
import { join } from "node:path";

/** Family names the bundled fonts are registered under, in fallback order. */
export const FONT_FAMILIES = ["DejaVu Sans Mono", "Droid Sans Fallback"] as const;

const FONT_FILES: Record<(typeof FONT_FAMILIES)[number], string> = {
  "DejaVu Sans Mono": "DejaVuSansMono.ttf",
  "Droid Sans Fallback": "DroidSansFallbackFull.ttf",
};

let registered = false;

/**
 * Register the bundled fonts once per process. They are read as bytes (not by path) so the same
 * code works from a checkout and from `deno compile`'s embedded file system.
 */
export function registerFonts(): void {
  if (registered) return;
  const dir = join(import.meta.dirname ?? ".", "..", "..", "fonts");
  for (const family of FONT_FAMILIES) {
    const bytes = Buffer.from(Deno.readFileSync(join(dir, FONT_FILES[family])));
    if (!GlobalFonts.register(bytes, family)) {
      throw new Error(`could not load font ${FONT_FILES[family]} from ${dir}`);
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
