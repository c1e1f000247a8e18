import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { registerFonts } from "./_fonts.ts";

/** Raw pixel format of the painted frames, as ffmpeg names it. */
export type PixelFormat = "gray" | "rgb24";

/** A pixel rectangle. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Idle canvases. Videos in flight each hold one (their frames are generated lazily and
 * interleave); finished videos return theirs, so Skia surfaces are not allocated per video.
 */
const idle: SKRSContext2D[] = [];

/** A canvas of this size for one video's frames; give it back with `releaseCanvas`. */
export function acquireCanvas(width: number, height: number): SKRSContext2D {
  const index = idle.findIndex((c) => c.canvas.width === width && c.canvas.height === height);
  if (index >= 0) return idle.splice(index, 1)[0];
  registerFonts();
  return createCanvas(width, height).getContext("2d");
}

/** Return a canvas to the pool. */
export function releaseCanvas(ctx: SKRSContext2D): void {
  if (idle.length < 64) idle.push(ctx);
}

/** Copy a canvas region into a packed frame buffer (grey: one channel; rgb: alpha dropped). */
export function copyRegion(
  ctx: SKRSContext2D,
  rect: Rect,
  frame: Uint8Array,
  options: { format: PixelFormat; width: number },
): void {
  if (rect.w <= 0 || rect.h <= 0) return;
  const rgba = ctx.getImageData(rect.x, rect.y, rect.w, rect.h).data;
  let i = 0;
  for (let row = 0; row < rect.h; row++) {
    const base = (rect.y + row) * options.width + rect.x;
    if (options.format === "gray") {
      for (let col = 0; col < rect.w; col++, i += 4) frame[base + col] = rgba[i + 1];
    } else {
      let o = base * 3;
      for (let col = 0; col < rect.w; col++, i += 4) {
        frame[o++] = rgba[i];
        frame[o++] = rgba[i + 1];
        frame[o++] = rgba[i + 2];
      }
    }
  }
}
