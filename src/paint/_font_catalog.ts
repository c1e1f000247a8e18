/**
 * The fonts of `--style varied`: the bundled families (fonts/varied, licences and sources in
 * fonts/README.md) and a user's `--font-dir`. A font is one file or a folder of unicode-range
 * subset files (a CJK family from @fontsource); each file is registered under its own alias and
 * the CSS font list names them all, so Skia picks the subset holding each glyph.
 */
import { createCanvas, GlobalFonts, type SKRSContext2D } from "@napi-rs/canvas";
// @ts-types="@types/fontkit"
import { create as openFont, type Font, type FontCollection } from "fontkit";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { extname, isAbsolute, join } from "node:path";
import type { FontChoice, FontStyle } from "../style/mod.ts";
import { FONTS_DIR, fontSpec, registerFonts } from "./_fonts.ts";

/** The seed's font: DejaVu Sans Mono (Droid Sans Fallback draws CJK beside it). */
export const SEED_FONT_FILE = "DejaVuSansMono.ttf";

/** The seed's CJK face: drawn after DejaVu Sans Mono, which sets the Latin (it has no ASCII). */
const DROID_FILE = "DroidSansFallbackFull.ttf";

/** A bundled family. */
interface BundledFont {
  family: string;
  file: string;
  style: FontStyle;
  /**
   * Chosen only for text with a CJK character: a face tesseract misreads in Latin text (ZCOOL
   * KuaiLe's Latin: 4 % CER vs 0.2 % for the seed's font on GSM8K rows), or one whose Latin is
   * the seed's monospace (Droid Sans Fallback), which would only repeat that family.
   */
  cjkOnly?: boolean;
  /**
   * Chosen only for CJK text without ASCII letters or digits: tesseract misreads this face's
   * Latin and digits ('600' as 'OO', '1.' as '下'), which would cost a math row its answer.
   */
  cjkTextOnly?: boolean;
}

/**
 * The bundled families, in the fixed order styles are drawn from. Handlee is the second
 * handwritten face: Caveat, tried first, read at 3.0 % CER on GSM8K rows (its 's' reads as 'e',
 * '9' as '7') at any size from 24 to 42 px, Handlee at 0.55 % (`tesseract`, as `score` reads).
 */
export const BUNDLED_FONTS: readonly BundledFont[] = [
  { family: "DejaVu Sans Mono", file: SEED_FONT_FILE, style: "monospace" },
  { family: "Lora", file: "varied/lora-latin-400-normal.woff2", style: "serif" },
  { family: "Merriweather", file: "varied/merriweather-latin-400-normal.woff2", style: "serif" },
  { family: "Open Sans", file: "varied/open-sans-latin-400-normal.woff2", style: "sans-serif" },
  { family: "Lato", file: "varied/lato-latin-400-normal.woff2", style: "sans-serif" },
  {
    family: "Source Code Pro",
    file: "varied/source-code-pro-latin-400-normal.woff2",
    style: "monospace",
  },
  { family: "Handlee", file: "varied/handlee-latin-400-normal.woff2", style: "handwritten" },
  {
    family: "Patrick Hand",
    file: "varied/patrick-hand-latin-400-normal.woff2",
    style: "handwritten",
  },
  { family: "Oswald", file: "varied/oswald-latin-400-normal.woff2", style: "display" },
  {
    family: "Abril Fatface",
    file: "varied/abril-fatface-latin-400-normal.woff2",
    style: "display",
  },
  { family: "Droid Sans Fallback", file: DROID_FILE, style: "sans-serif", cjkOnly: true },
  { family: "WenQuanYi Micro Hei", file: "varied/wqy-microhei.ttc", style: "sans-serif" },
  {
    family: "ZCOOL KuaiLe",
    file: "varied/zcool-kuaile",
    style: "display",
    cjkOnly: true,
    cjkTextOnly: true,
  },
];

const FONT_EXTENSIONS = new Set([".ttf", ".otf", ".ttc", ".woff", ".woff2"]);

interface LoadedFont {
  choice: FontChoice;
  files: string[];
  characters: Set<number>;
}

const loaded = new Map<string, LoadedFont>();

function pathOf(file: string): string {
  return isAbsolute(file) ? file : join(FONTS_DIR, file);
}

/** The font files of `file`: itself, or a folder's font files in name order. */
function filesOf(file: string): string[] {
  const path = pathOf(file);
  if (!Deno.statSync(path).isDirectory) return [path];
  return [...Deno.readDirSync(path)]
    .filter((e) => e.isFile && FONT_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(path, e.name))
    .sort();
}

function firstFace(bytes: Buffer, path: string): Font {
  let opened: Font | FontCollection;
  try {
    opened = openFont(bytes) as Font | FontCollection;
  } catch (error) {
    throw new Error(`${path}: not a font fontkit can read (${(error as Error).message})`);
  }
  const font = "fonts" in opened ? opened.fonts[0] : opened;
  if (!font?.characterSet) throw new Error(`${path}: not a font fontkit can read`);
  return font;
}

function load(family: string, file: string, style: FontStyle): LoadedFont {
  const cached = loaded.get(file);
  if (cached) return cached;
  const files = filesOf(file);
  const characters = new Set<number>();
  // Droid Sans Fallback is drawn as the seed draws it, after DejaVu Sans Mono (see fileFontSpec).
  const drawnWith = file === DROID_FILE ? [...filesOf(SEED_FONT_FILE), ...files] : files;
  let xHeight = 0;
  for (const path of drawnWith) {
    const font = firstFace(Buffer.from(Deno.readFileSync(path)), path);
    for (const code of font.characterSet) characters.add(code);
    if (!xHeight && font.xHeight > 0) xHeight = font.xHeight / font.unitsPerEm;
  }
  const entry = { choice: { family, file, style, xHeight: xHeight || 0.5 }, files, characters };
  loaded.set(file, entry);
  return entry;
}

function statOrExplain(dir: string): Deno.FileInfo {
  try {
    return Deno.statSync(dir);
  } catch {
    throw new Error(`--font-dir ${dir}: no such folder (give a folder of .ttf/.otf/.woff2 fonts)`);
  }
}

/** A user font's look, guessed from its family name. */
function guessStyle(family: string): FontStyle {
  if (/mono|code|courier/i.test(family)) return "monospace";
  if (/hand|script|brush|marker/i.test(family)) return "handwritten";
  if (/serif/i.test(family) && !/sans/i.test(family)) return "serif";
  return "sans-serif";
}

/**
 * The fonts a varied style may choose: the bundled families, then each font file of `fontDir`
 * (absolute paths, in name order), with their x-heights. Throws a one-line error naming the file
 * for one fontkit cannot read.
 */
export function fontCatalog(fontDir?: string): FontChoice[] {
  const fonts = BUNDLED_FONTS.map((f) => load(f.family, f.file, f.style).choice);
  if (fontDir) {
    const dir = isAbsolute(fontDir) ? fontDir : join(Deno.cwd(), fontDir);
    if (!statOrExplain(dir).isDirectory) throw new Error(`--font-dir ${dir}: not a folder`);
    for (const path of filesOf(dir)) {
      const font = firstFace(Buffer.from(Deno.readFileSync(path)), path);
      const family = font.familyName || path;
      fonts.push(load(family, path, guessStyle(family)).choice);
    }
  }
  return fonts;
}

/** Han, kana, hangul and CJK punctuation: text a CJK-only face may draw. */
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

const CJK_ONLY = new Set(BUNDLED_FONTS.filter((f) => f.cjkOnly).map((f) => f.file));
const CJK_TEXT_ONLY = new Set(BUNDLED_FONTS.filter((f) => f.cjkTextOnly).map((f) => f.file));

/**
 * The fonts of `catalog` that may draw `text`: a glyph for every character (line breaks and
 * spaces aside); for a CJK-only face, a CJK character in the text; for ZCOOL KuaiLe, no ASCII
 * letter or digit (Chinese stories, not Chinese math).
 */
export function fontsCovering(text: string, catalog: readonly FontChoice[]): FontChoice[] {
  const codes = new Set<number>();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code !== 0x0a && code !== 0x20) codes.add(code);
  }
  const cjk = CJK.test(text);
  const latin = /[A-Za-z0-9]/.test(text);
  return catalog.filter((choice) => {
    if (!cjk && CJK_ONLY.has(choice.file)) return false;
    if (latin && CJK_TEXT_ONLY.has(choice.file)) return false;
    const { characters } = load(choice.family, choice.file, choice.style);
    for (const code of codes) if (!characters.has(code)) return false;
    return true;
  });
}

const families = new Map<string, string>();

/**
 * The family alias of one font file. Skia's font registry is one per process and shared by every
 * worker thread, while `families` is per thread: an alias counted per thread named other fonts in
 * other threads, and the last registration won (a worker drew and measured another thread's
 * font). An alias named by the file's own path is the same in every thread, for the same bytes.
 */
function aliasOf(path: string): string {
  return `vw-${createHash("sha256").update(path).digest("hex").slice(0, 16)}`;
}

/** The CSS family list of a font file (registering it once per thread, under the same aliases). */
function familyList(file: string): string {
  let list = families.get(file);
  if (list !== undefined) return list;
  registerFonts();
  const aliases: string[] = [];
  filesOf(file).forEach((path) => {
    const alias = aliasOf(path);
    if (!GlobalFonts.register(Buffer.from(Deno.readFileSync(path)), alias)) {
      throw new Error(`could not load font ${path}`);
    }
    aliases.push(`"${alias}"`);
  });
  list = aliases.join(", ");
  families.set(file, list);
  return list;
}

/** CSS font shorthand for `file` at `size` pixels (the seed's fonts: the seed's list). */
export function fileFontSpec(file: string, size: number): string {
  // Droid Sans Fallback: the seed's list, whose DejaVu Sans Mono sets the Latin Droid lacks.
  return file === SEED_FONT_FILE || file === DROID_FILE
    ? fontSpec(size)
    : `${size}px ${familyList(file)}`;
}

const widths = new Map<string, number>();
let measureCtx: SKRSContext2D | null = null;

/** A text measure drawing with `file`: whole strings measured by Skia (kerning kept), cached. */
export function fileFontMeasure(file: string): (text: string, fontSize: number) => number {
  return (text, fontSize) => {
    const key = `${file}\u0000${fontSize}\u0000${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      measureCtx ??= createCanvas(8, 8).getContext("2d");
      measureCtx.font = fileFontSpec(file, fontSize);
      width = measureCtx.measureText(text).width;
      if (widths.size > 200_000) widths.clear();
      widths.set(key, width);
    }
    return width;
  };
}
