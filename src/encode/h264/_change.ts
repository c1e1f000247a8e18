/**
 * Change detection: which macroblocks a picture must code. Outside the reported rectangles, and
 * where a redrawn region came out the same as in the previous source picture, a macroblock is
 * left to P_Skip.
 */
import { type Rect, YuvPicture } from "./_picture.ts";

/** Per macroblock: code it (1) or skip it (0), against the previous source picture. */
export class ChangeMap {
  /** 1 where the macroblock is to be coded, 0 where it is skipped; raster order. */
  readonly changed: Uint8Array;
  readonly #mbWidth: number;
  readonly #mbHeight: number;
  /** The previous source picture: a redrawn region that came out the same is not coded. */
  readonly #previous: YuvPicture;

  constructor(width: number, height: number) {
    this.#previous = new YuvPicture(width, height);
    this.#mbWidth = this.#previous.mbWidth;
    this.#mbHeight = this.#previous.mbHeight;
    this.changed = new Uint8Array(this.#mbWidth * this.#mbHeight);
  }

  /** Every macroblock changed, and `source` is the new previous picture. */
  resetTo(source: YuvPicture): void {
    this.changed.fill(1);
    this.#previous.y.set(source.y);
    this.#previous.u.set(source.u);
    this.#previous.v.set(source.v);
  }

  /** Code every macroblock (an IDR picture), whatever changed. */
  codeAll(): void {
    this.changed.fill(1);
  }

  /**
   * Mark the macroblocks under `rects` whose samples differ from the previous source picture,
   * and take them into it. Returns how many changed.
   */
  mark(rects: readonly Rect[], source: YuvPicture): number {
    const changed = this.changed;
    changed.fill(0);
    let count = 0;
    const mbWidth = this.#mbWidth;
    for (const r of rects) {
      if (r.w <= 0 || r.h <= 0) continue;
      const x0 = Math.max(0, Math.floor(r.x / 16));
      const y0 = Math.max(0, Math.floor(r.y / 16));
      const x1 = Math.min(mbWidth - 1, Math.floor((r.x + r.w - 1) / 16));
      const y1 = Math.min(this.#mbHeight - 1, Math.floor((r.y + r.h - 1) / 16));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const i = y * mbWidth + x;
          if (!changed[i]) {
            changed[i] = 2; // to compare with the previous source
          }
        }
      }
    }
    for (let i = 0; i < changed.length; i++) {
      if (changed[i] !== 2) continue;
      const differs = this.#updatePrevious(source, i);
      changed[i] = differs ? 1 : 0;
      if (differs) count++;
    }
    return count;
  }

  /** Copy macroblock `i` (raster order) of the source into the previous picture; true if it differed. */
  #updatePrevious(source: YuvPicture, i: number): boolean {
    const mbx = i % this.#mbWidth;
    const mby = (i / this.#mbWidth) | 0;
    const prev = this.#previous;
    let differs = false;
    const ls = source.lumaStride;
    for (let r = 0; r < 16; r++) {
      const o = (mby * 16 + r) * ls + mbx * 16;
      for (let c = 0; c < 16; c++) {
        if (source.y[o + c] !== prev.y[o + c]) {
          prev.y[o + c] = source.y[o + c];
          differs = true;
        }
      }
    }
    const cs = source.chromaStride;
    for (let r = 0; r < 8; r++) {
      const o = (mby * 8 + r) * cs + mbx * 8;
      for (let c = 0; c < 8; c++) {
        if (source.u[o + c] !== prev.u[o + c] || source.v[o + c] !== prev.v[o + c]) {
          prev.u[o + c] = source.u[o + c];
          prev.v[o + c] = source.v[o + c];
          differs = true;
        }
      }
    }
    return differs;
  }
}
