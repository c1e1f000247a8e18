/**
 * The contact sheet: chosen frames side by side, each labelled, as one PNG.
 */
import { createCanvas, ImageData } from "@napi-rs/canvas";
import { fontSpec, type PixelFormat, registerFonts } from "../paint/mod.ts";

/** One captured frame and the label printed above it. */
export interface SheetFrame {
  label: string;
  /** Packed pixels (`gray`: one byte per pixel, `rgb24`: three). */
  pixels: Uint8Array;
}

/** Size and format of the captured frames. */
export interface SheetOptions {
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  /**
   * Frames per row.
   * @default 2
   */
  columns?: number;
}

const LABEL_HEIGHT = 26;
const GAP = 8;

function toImageData(pixels: Uint8Array, options: SheetOptions): ImageData {
  const { width, height } = options;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const step = options.pixelFormat === "gray" ? 1 : 3;
  for (let p = 0, i = 0, o = 0; p < width * height; p++, i += step, o += 4) {
    rgba[o] = pixels[i];
    rgba[o + 1] = pixels[step === 1 ? i : i + 1];
    rgba[o + 2] = pixels[step === 1 ? i : i + 2];
    rgba[o + 3] = 255;
  }
  return new ImageData(rgba, width, height);
}

/** Top-left pixel of frame `i`'s picture on the sheet (its label sits above it). */
export function sheetCellOrigin(i: number, options: SheetOptions): { x: number; y: number } {
  const columns = Math.max(1, options.columns ?? 2);
  const x = GAP + (i % columns) * (options.width + 2 + GAP);
  const y = GAP + Math.floor(i / columns) * (options.height + 2 + LABEL_HEIGHT + GAP);
  return { x: x + 1, y: y + LABEL_HEIGHT + 1 };
}

/** Lay the frames out in a grid at full size, a label over each, a thin border round each. */
export function contactSheetPng(frames: readonly SheetFrame[], options: SheetOptions): Uint8Array {
  registerFonts();
  const columns = Math.max(1, Math.min(options.columns ?? 2, frames.length));
  const rows = Math.ceil(frames.length / columns);
  const cellW = options.width + 2;
  const cellH = options.height + 2 + LABEL_HEIGHT;
  const canvas = createCanvas(
    GAP + columns * (cellW + GAP),
    GAP + rows * (cellH + GAP),
  );
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#D8D8D8";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  frames.forEach((frame, i) => {
    const origin = sheetCellOrigin(i, { ...options, columns });
    const x = origin.x - 1;
    const y = origin.y - 1 - LABEL_HEIGHT;
    ctx.fillStyle = "#202020";
    ctx.font = fontSpec(18);
    ctx.textBaseline = "alphabetic";
    ctx.fillText(frame.label, x + 1, y + LABEL_HEIGHT - 8);
    ctx.fillStyle = "#808080";
    ctx.fillRect(x, y + LABEL_HEIGHT, cellW, options.height + 2);
    ctx.putImageData(toImageData(frame.pixels, options), x + 1, y + LABEL_HEIGHT + 1);
  });
  return canvas.toBuffer("image/png");
}
