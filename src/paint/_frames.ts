import { withDefaults } from "../defaults/mod.ts";
import type { PageLayout, PlacedText, RevealPlan } from "../layout/mod.ts";
import { seededRandom } from "../style/mod.ts";
import type { SKRSContext2D } from "@napi-rs/canvas";
import {
  acquireCanvas,
  copyRegion,
  type PixelFormat,
  type Rect,
  releaseCanvas,
} from "./_canvas.ts";
import { fontSpec } from "./_fonts.ts";
import { fileFontSpec } from "./_font_catalog.ts";

export type { PixelFormat };

/** Colours of a silent video. Grey-only colours give a one-byte-per-pixel stream. */
export interface PaintSettings {
  /**
   * Background colour, `#RRGGBB`.
   * @default {"#FFFFFF"}
   */
  background: string;
  /**
   * Text and separator colour, `#RRGGBB`.
   * @default {"#000000"}
   */
  foreground: string;
}

/**
 * A varied sample's font and background (`--style varied`), as plain data; without it a video
 * is painted in the seed's fonts on a flat background.
 */
export interface PaintLook {
  /** Font file (or folder of subset files) under fonts/, or an absolute path. */
  fontFile: string;
  backgroundKind: "flat" | "gradient" | "paper";
  /** The gradient's bottom colour, `#RRGGBB`; `null` for other kinds. */
  backgroundEnd: string | null;
  /** Seeds the paper texture. */
  textureSeed: number;
  /** The paper texture's largest step per channel toward the text colour. */
  textureAmplitude: number;
}

/** {@link PaintSettings} with unset fields taking {@link PAINT_DEFAULTS}, and a sample's look. */
export type PaintOptions = Partial<PaintSettings> & { look?: PaintLook };

/** The one home of the colour defaults. */
export const PAINT_DEFAULTS: Readonly<PaintSettings> = {
  background: "#FFFFFF",
  foreground: "#000000",
};

/** Frames of one video plus how to read them. */
export interface PaintedFrames {
  pixelFormat: PixelFormat;
  width: number;
  height: number;
  /** Yields the frame buffer; the same buffer is updated in place, so consume before resuming. */
  frames: Generator<Uint8Array>;
  /**
   * The regions of the last yielded frame that differ from the frame before it (the whole frame
   * for the first): what an encoder must look at, the rest being unchanged pixels.
   */
  changes: Rect[];
}

function parseHex(colour: string): [number, number, number] {
  const match = /^#?([0-9a-f]{6})$/i.exec(colour.trim());
  if (!match) throw new Error(`bad colour '${colour}': use #RRGGBB`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function isGrey([r, g, b]: [number, number, number]): boolean {
  return r === g && g === b;
}

/**
 * Paint a reveal plan frame by frame. Only what changes is drawn and read back: a page is drawn
 * once, then each frame adds one unit and copies just that unit's box into the frame buffer.
 */
export function paintFrames(plan: RevealPlan, options: PaintOptions = {}): PaintedFrames {
  const { look, ...paint } = options;
  const colours = withDefaults(PAINT_DEFAULTS, paint);
  const bg = parseHex(colours.background);
  const fg = parseHex(colours.foreground);
  const end = look?.backgroundEnd ? parseHex(look.backgroundEnd) : null;
  const pixelFormat: PixelFormat = isGrey(bg) && isGrey(fg) && (end === null || isGrey(end))
    ? "gray"
    : "rgb24";
  const font = look ? fileFontSpec(look.fontFile, plan.fontSize) : fontSpec(plan.fontSize);
  const { width, height } = plan;
  const ctx = acquireCanvas(width, height);
  const frame = new Uint8Array(width * height * (pixelFormat === "gray" ? 1 : 3));
  const clip: Rect = {
    x: plan.margin,
    y: plan.margin,
    w: width - 2 * plan.margin,
    h: height - 2 * plan.margin,
  };
  const fgCss = `rgb(${fg.join(",")})`;
  const ascent = Math.ceil(plan.fontSize * 1.0);
  const descent = Math.ceil(plan.fontSize * 0.3);

  function drawText(item: PlacedText): void {
    ctx.fillText(item.text, item.x, item.y);
  }

  function drawPage(page: PageLayout, units: number): void {
    ctx.restore();
    ctx.save();
    paintBackground(ctx, { width, height, bg, fg, end, look });
    // Ink never reaches the margins, whatever a glyph's extent.
    ctx.beginPath();
    ctx.rect(clip.x, clip.y, clip.w, clip.h);
    ctx.clip();
    ctx.fillStyle = fgCss;
    ctx.font = font;
    ctx.textBaseline = "alphabetic";
    for (const line of page.prompt) drawText(line);
    if (page.separatorY !== null) {
      ctx.fillRect(clip.x, page.separatorY, clip.w, plan.separatorThickness);
    }
    for (let i = 0; i < units; i++) drawText(page.units[i]);
    copyRegion(ctx, { x: 0, y: 0, w: width, h: height }, frame, { format: pixelFormat, width });
  }

  function unitBox(item: PlacedText): Rect {
    const x0 = Math.max(clip.x, Math.floor(item.x) - 1);
    const x1 = Math.min(clip.x + clip.w, Math.ceil(item.x + ctx.measureText(item.text).width) + 2);
    const y0 = Math.max(clip.y, item.y - ascent);
    const y1 = Math.min(clip.y + clip.h, item.y + descent);
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  const changes: Rect[] = [];
  const whole: Rect = { x: 0, y: 0, w: width, h: height };

  function* generate(): Generator<Uint8Array> {
    ctx.save();
    let shownPage = -1;
    let shownUnits = 0;
    try {
      for (const ref of plan.frames) {
        const page = plan.pages[ref.page];
        changes.length = 0;
        if (ref.page !== shownPage || ref.units < shownUnits) {
          drawPage(page, ref.units);
          changes.push(whole);
        } else {
          for (let i = shownUnits; i < ref.units; i++) {
            drawText(page.units[i]);
            const box = unitBox(page.units[i]);
            copyRegion(ctx, box, frame, { format: pixelFormat, width });
            changes.push(box);
          }
        }
        shownPage = ref.page;
        shownUnits = ref.units;
        yield frame;
      }
    } finally {
      ctx.restore();
      releaseCanvas(ctx);
    }
  }

  return { pixelFormat, width, height, frames: generate(), changes };
}

/**
 * Fill the frame's background: flat, a vertical two-colour gradient, or paper: a few large soft
 * blotches a little toward the text colour (at most `textureAmplitude` levels), smooth enough to
 * cost the encoder little at IDR frames (no per-pixel grain).
 */
export function paintBackground(
  ctx: SKRSContext2D,
  options: {
    width: number;
    height: number;
    bg: [number, number, number];
    fg: [number, number, number];
    end: [number, number, number] | null;
    look: PaintLook | undefined;
  },
): void {
  const { width, height, bg, fg, end, look } = options;
  const css = (c: readonly number[], alpha = 1) => `rgba(${c.map(Math.round).join(",")},${alpha})`;
  if (look?.backgroundKind === "gradient" && end) {
    const gradient = ctx.createLinearGradient(0, 0, 0, height);
    gradient.addColorStop(0, css(bg));
    gradient.addColorStop(1, css(end));
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, width, height);
    return;
  }
  ctx.fillStyle = css(bg);
  ctx.fillRect(0, 0, width, height);
  if (look?.backgroundKind !== "paper") return;
  const random = seededRandom(look.textureSeed);
  const tint = bg.map((c, i) =>
    c + Math.sign(fg[i] - c) * Math.min(look.textureAmplitude, Math.abs(fg[i] - c))
  );
  const side = Math.max(width, height);
  for (let i = 0; i < 7; i++) {
    const x = random() * width;
    const y = random() * height;
    const r = side * (0.2 + 0.35 * random());
    const blotch = ctx.createRadialGradient(x, y, 0, x, y, r);
    blotch.addColorStop(0, css(tint, 0.6 + 0.4 * random()));
    blotch.addColorStop(1, css(tint, 0));
    ctx.fillStyle = blotch;
    ctx.fillRect(0, 0, width, height);
  }
}
