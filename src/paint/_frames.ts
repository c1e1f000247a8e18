import { withDefaults } from "../defaults/mod.ts";
import type { PageLayout, PlacedText, RevealPlan } from "../layout/mod.ts";
import {
  acquireCanvas,
  copyRegion,
  type PixelFormat,
  type Rect,
  releaseCanvas,
} from "./_canvas.ts";
import { fontSpec } from "./_fonts.ts";

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

/** {@link PaintSettings} with unset fields taking {@link PAINT_DEFAULTS}. */
export type PaintOptions = Partial<PaintSettings>;

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
  const colours = withDefaults(PAINT_DEFAULTS, options);
  const bg = parseHex(colours.background);
  const fg = parseHex(colours.foreground);
  const pixelFormat: PixelFormat = isGrey(bg) && isGrey(fg) ? "gray" : "rgb24";
  const { width, height } = plan;
  const ctx = acquireCanvas(width, height);
  const frame = new Uint8Array(width * height * (pixelFormat === "gray" ? 1 : 3));
  const clip: Rect = {
    x: plan.margin,
    y: plan.margin,
    w: width - 2 * plan.margin,
    h: height - 2 * plan.margin,
  };
  const bgCss = `rgb(${bg.join(",")})`;
  const fgCss = `rgb(${fg.join(",")})`;
  const ascent = Math.ceil(plan.fontSize * 1.0);
  const descent = Math.ceil(plan.fontSize * 0.3);

  function drawText(item: PlacedText): void {
    ctx.fillText(item.text, item.x, item.y);
  }

  function drawPage(page: PageLayout, units: number): void {
    ctx.restore();
    ctx.save();
    ctx.fillStyle = bgCss;
    ctx.fillRect(0, 0, width, height);
    // Ink never reaches the margins, whatever a glyph's extent.
    ctx.beginPath();
    ctx.rect(clip.x, clip.y, clip.w, clip.h);
    ctx.clip();
    ctx.fillStyle = fgCss;
    ctx.font = fontSpec(plan.fontSize);
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
