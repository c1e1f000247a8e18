/**
 * Planar 4:2:0 pictures padded to whole macroblocks, and the conversion of painted frames (grey
 * or packed RGB) into them: BT.601 limited range, as ffmpeg's default gray/rgb24 → yuv420p.
 */

/** A pixel rectangle. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Y, U and V planes of a picture whose storage is padded to whole macroblocks. */
export class YuvPicture {
  readonly width: number;
  readonly height: number;
  readonly mbWidth: number;
  readonly mbHeight: number;
  /** Bytes per luma row (mbWidth × 16). */
  readonly lumaStride: number;
  /** Bytes per chroma row (mbWidth × 8). */
  readonly chromaStride: number;
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;

  constructor(width: number, height: number) {
    if (width % 2 || height % 2 || width <= 0 || height <= 0) {
      throw new RangeError(`picture size ${width}x${height}: width and height must be even`);
    }
    this.width = width;
    this.height = height;
    this.mbWidth = Math.ceil(width / 16);
    this.mbHeight = Math.ceil(height / 16);
    this.lumaStride = this.mbWidth * 16;
    this.chromaStride = this.mbWidth * 8;
    this.y = new Uint8Array(this.lumaStride * this.mbHeight * 16);
    this.u = new Uint8Array(this.chromaStride * this.mbHeight * 8).fill(128);
    this.v = new Uint8Array(this.chromaStride * this.mbHeight * 8).fill(128);
  }

  /** The visible picture as packed yuv420p (what a decoder outputs after cropping). */
  toI420(): Uint8Array {
    const { width, height } = this;
    const cw = width >> 1;
    const ch = height >> 1;
    const out = new Uint8Array(width * height + 2 * cw * ch);
    for (let r = 0; r < height; r++) {
      out.set(this.y.subarray(r * this.lumaStride, r * this.lumaStride + width), r * width);
    }
    let o = width * height;
    for (const plane of [this.u, this.v]) {
      for (let r = 0; r < ch; r++) {
        out.set(plane.subarray(r * this.chromaStride, r * this.chromaStride + cw), o);
        o += cw;
      }
    }
    return out;
  }
}

/** Clamp a rectangle to the picture and widen it to even coordinates (whole chroma samples). */
function evenRect(picture: YuvPicture, rect?: Rect): Rect {
  if (!rect) return { x: 0, y: 0, w: picture.width, h: picture.height };
  const x0 = Math.max(0, Math.floor(rect.x / 2) * 2);
  const y0 = Math.max(0, Math.floor(rect.y / 2) * 2);
  const x1 = Math.min(picture.width, Math.ceil((rect.x + rect.w) / 2) * 2);
  const y1 = Math.min(picture.height, Math.ceil((rect.y + rect.h) / 2) * 2);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** Grey 0..255 → limited-range luma 16..235. */
const GREY_TO_Y = Uint8Array.from({ length: 256 }, (_, g) => ((220 * g + 128) >> 8) + 16);

/** Convert a region of a grey frame (one byte per pixel, `picture.width` wide) into `picture`. */
export function fillFromGrey(picture: YuvPicture, grey: Uint8Array, rect?: Rect): void {
  const r = evenRect(picture, rect);
  const { width, lumaStride } = picture;
  for (let row = r.y; row < r.y + r.h; row++) {
    const s = row * width;
    const d = row * lumaStride;
    for (let col = r.x; col < r.x + r.w; col++) picture.y[d + col] = GREY_TO_Y[grey[s + col]];
  }
  padEdges(picture, r);
}

/** Convert a region of a packed RGB frame (three bytes per pixel) into `picture`. */
export function fillFromRgb(picture: YuvPicture, rgb: Uint8Array, rect?: Rect): void {
  const r = evenRect(picture, rect);
  const { width, lumaStride, chromaStride } = picture;
  for (let row = r.y; row < r.y + r.h; row += 2) {
    for (let col = r.x; col < r.x + r.w; col += 2) {
      let uSum = 0;
      let vSum = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const s = ((row + dy) * width + col + dx) * 3;
          const red = rgb[s];
          const green = rgb[s + 1];
          const blue = rgb[s + 2];
          picture.y[(row + dy) * lumaStride + col + dx] =
            ((66 * red + 129 * green + 25 * blue + 128) >> 8) + 16;
          uSum += -38 * red - 74 * green + 112 * blue;
          vSum += 112 * red - 94 * green - 18 * blue;
        }
      }
      const c = (row >> 1) * chromaStride + (col >> 1);
      picture.u[c] = ((uSum + 512) >> 10) + 128;
      picture.v[c] = ((vSum + 512) >> 10) + 128;
    }
  }
  padEdges(picture, r);
}

/** Repeat the last visible row and column into the macroblock padding next to a filled region. */
function padEdges(picture: YuvPicture, r: Rect): void {
  const { width, height, lumaStride, chromaStride } = picture;
  const paddedWidth = lumaStride;
  const paddedHeight = picture.mbHeight * 16;
  if (r.x + r.w >= width && paddedWidth > width) {
    for (let row = r.y; row < r.y + r.h; row++) {
      picture.y.fill(
        picture.y[row * lumaStride + width - 1],
        row * lumaStride + width,
        (row + 1) * lumaStride,
      );
    }
    for (let row = r.y >> 1; row < (r.y + r.h) >> 1; row++) {
      for (const plane of [picture.u, picture.v]) {
        const base = row * chromaStride;
        plane.fill(plane[base + (width >> 1) - 1], base + (width >> 1), base + chromaStride);
      }
    }
  }
  if (r.y + r.h >= height && paddedHeight > height) {
    const last = (height - 1) * lumaStride;
    for (let row = height; row < paddedHeight; row++) {
      picture.y.copyWithin(row * lumaStride, last, last + lumaStride);
    }
    const lastC = ((height >> 1) - 1) * chromaStride;
    for (let row = height >> 1; row < paddedHeight >> 1; row++) {
      picture.u.copyWithin(row * chromaStride, lastC, lastC + chromaStride);
      picture.v.copyWithin(row * chromaStride, lastC, lastC + chromaStride);
    }
  }
}
