/**
 * Intra prediction from the reconstruction (clause 8.3): Intra_16x16 and chroma DC into the
 * state's prediction buffers, the blank macroblock an Intra_16x16 prediction reproduces exactly,
 * and Intra_4x4 analysis. Intra_4x4 chooses each block's mode inside its prediction loop, because
 * every block is predicted from the reconstruction of the blocks before it; the choice between
 * macroblock types is `_mode_decision.ts`'s.
 */
import {
  INTRA16X16_DC,
  INTRA16X16_HORIZONTAL,
  INTRA16X16_VERTICAL,
  INTRA4X4_DC,
  INTRA4X4_HORIZONTAL,
  INTRA4X4_MODES_TRIED,
  INTRA4X4_VERTICAL,
} from "./_constants.ts";
import { BLOCK_AT, type Candidate, type EncoderState, MbKind } from "./_macroblock.ts";
import { codeChroma, codeLumaResidual } from "./_residual.ts";
import { BLOCK_X, BLOCK_Y } from "./_tables.ts";

/**
 * Blank page areas: a macroblock of one colour that some Intra_16x16 prediction (and the chroma
 * DC prediction) reproduces exactly needs no transform at all. True when `c` was set up so.
 */
export function flatIntra16(st: EncoderState, c: Candidate): boolean {
  const { source, mbx, mby } = st;
  const ls = source.lumaStride;
  const src = source.y;
  const base = mby * 16 * ls + mbx * 16;
  const value = src[base];
  for (let r = 0; r < 16; r++) {
    const o = base + r * ls;
    for (let col = 0; col < 16; col++) if (src[o + col] !== value) return false;
  }
  const cs = source.chromaStride;
  const cbase = mby * 8 * cs + mbx * 8;
  const cu = source.u[cbase];
  const cv = source.v[cbase];
  for (let r = 0; r < 8; r++) {
    const o = cbase + r * cs;
    for (let col = 0; col < 8; col++) {
      if (source.u[o + col] !== cu || source.v[o + col] !== cv) return false;
    }
  }
  const { y, lumaStride: s } = st.recon;
  const x0 = mbx * 16;
  const y0 = mby * 16;
  let mode = -1;
  if (mby > 0) {
    mode = INTRA16X16_VERTICAL;
    for (let i = 0; i < 16; i++) if (y[(y0 - 1) * s + x0 + i] !== value) mode = -1;
  }
  if (mode < 0 && mbx > 0) {
    mode = INTRA16X16_HORIZONTAL;
    for (let i = 0; i < 16; i++) if (y[(y0 + i) * s + x0 - 1] !== value) mode = -1;
  }
  if (mode < 0) {
    predictIntra16(st, INTRA16X16_DC);
    if (st.pred[0] !== value) return false;
    mode = INTRA16X16_DC;
  }
  predictChromaDc(st);
  for (let i = 0; i < 64; i++) if (st.predU[i] !== cu || st.predV[i] !== cv) return false;
  c.kind = MbKind.Intra16;
  c.predMode = mode;
  c.cbpLuma = 0;
  c.cbpChroma = 0;
  c.lumaDc.fill(0);
  c.nzLuma.fill(0);
  c.nzChroma.fill(0);
  c.reconY.fill(value);
  c.reconU.fill(cu);
  c.reconV.fill(cv);
  return true;
}

/** Intra_16x16 prediction (vertical, horizontal or DC) of the current macroblock from the
 * reconstruction. */
export function predictIntra16(st: EncoderState, mode: number): void {
  const { mbx, mby } = st;
  const { y, lumaStride: s } = st.recon;
  const pred = st.pred;
  const x0 = mbx * 16;
  const y0 = mby * 16;
  if (mode === INTRA16X16_VERTICAL) {
    const t = (y0 - 1) * s + x0;
    for (let r = 0; r < 16; r++) pred.set(y.subarray(t, t + 16), r * 16);
  } else if (mode === INTRA16X16_HORIZONTAL) {
    for (let r = 0; r < 16; r++) pred.fill(y[(y0 + r) * s + x0 - 1], r * 16, r * 16 + 16);
  } else {
    const left = mbx > 0;
    const top = mby > 0;
    let sum = 0;
    if (top) { for (let i = 0; i < 16; i++) sum += y[(y0 - 1) * s + x0 + i]; }
    if (left) { for (let i = 0; i < 16; i++) sum += y[(y0 + i) * s + x0 - 1]; }
    const dc = left && top ? (sum + 16) >> 5 : left || top ? (sum + 8) >> 4 : 128;
    pred.fill(dc);
  }
}

/** Chroma DC prediction (intra_chroma_pred_mode DC), per 4×4 chroma block (clause 8.3.4.1-3). */
export function predictChromaDc(st: EncoderState): void {
  const { mbx, mby } = st;
  const { u, v, chromaStride: s } = st.recon;
  const left = mbx > 0;
  const top = mby > 0;
  const x0 = mbx * 8;
  const y0 = mby * 8;
  for (let comp = 0; comp < 2; comp++) {
    const plane = comp === 0 ? u : v;
    const pred = comp === 0 ? st.predU : st.predV;
    for (let blk = 0; blk < 4; blk++) {
      const bx = (blk & 1) * 4;
      const by = (blk >> 1) * 4;
      let sumTop = 0;
      let sumLeft = 0;
      if (top) { for (let i = 0; i < 4; i++) sumTop += plane[(y0 - 1) * s + x0 + bx + i]; }
      if (left) { for (let i = 0; i < 4; i++) sumLeft += plane[(y0 + by + i) * s + x0 - 1]; }
      let dc: number;
      if (blk === 0 || blk === 3) {
        dc = top && left
          ? (sumTop + sumLeft + 4) >> 3
          : top
          ? (sumTop + 2) >> 2
          : left
          ? (sumLeft + 2) >> 2
          : 128;
      } else if (blk === 1) {
        dc = top ? (sumTop + 2) >> 2 : left ? (sumLeft + 2) >> 2 : 128;
      } else {
        dc = left ? (sumLeft + 2) >> 2 : top ? (sumTop + 2) >> 2 : 128;
      }
      for (let r = 0; r < 4; r++) pred.fill(dc, (by + r) * 8 + bx, (by + r) * 8 + bx + 4);
    }
  }
}

/**
 * What an Intra_4x4 mode other than the predicted one costs, in units of absolute difference:
 * it is sent as a 3-bit rem_intra4x4_pred_mode instead of a 1-bit flag.
 */
const REM_MODE_COST = 24;

/**
 * Intra_4x4 with the vertical, horizontal and DC modes (what text strokes need), each block in
 * the mode with the least absolute difference (plus {@link REM_MODE_COST} when not the predicted
 * one), predicted from the reconstruction of the blocks before it.
 */
export function analyseIntra4x4(st: EncoderState, c: Candidate): void {
  const { source, mbx, mby } = st;
  c.kind = MbKind.Intra4;
  c.cbpLuma = 0;
  const src = source.y;
  const ss = source.lumaStride;
  const top = st.top;
  const left = st.left;
  const { y, lumaStride: s } = st.recon;
  const pred = st.pred;
  const block = st.block;
  const out = c.reconY;
  const gw = st.mbWidth * 4;
  for (let blk = 0; blk < 16; blk++) {
    const bx = BLOCK_X[blk];
    const by = BLOCK_Y[blk];
    const hasTop = by > 0 || mby > 0;
    const hasLeft = bx > 0 || mbx > 0;
    for (let i = 0; i < 4; i++) {
      if (hasTop) {
        top[i] = by > 0 ? out[(by - 1) * 16 + bx + i] : y[(mby * 16 - 1) * s + mbx * 16 + bx + i];
      }
      if (hasLeft) {
        left[i] = bx > 0 ? out[(by + i) * 16 + bx - 1] : y[(mby * 16 + by + i) * s + mbx * 16 - 1];
      }
    }
    let predicted: number = INTRA4X4_DC;
    if (hasTop && hasLeft) {
      const gx = mbx * 4 + (bx >> 2);
      const gy = mby * 4 + (by >> 2);
      const modeA = bx > 0
        ? c.modes[BLOCK_AT[(by >> 2) * 4 + (bx >> 2) - 1]]
        : st.modes[gy * gw + gx - 1];
      const modeB = by > 0
        ? c.modes[BLOCK_AT[((by >> 2) - 1) * 4 + (bx >> 2)]]
        : st.modes[(gy - 1) * gw + gx];
      predicted = modeA < modeB ? modeA : modeB;
    }
    let dc = 128;
    if (hasTop && hasLeft) {
      dc = (top[0] + top[1] + top[2] + top[3] + left[0] + left[1] + left[2] + left[3] + 4) >> 3;
    } else if (hasTop) dc = (top[0] + top[1] + top[2] + top[3] + 2) >> 2;
    else if (hasLeft) dc = (left[0] + left[1] + left[2] + left[3] + 2) >> 2;
    let best: number = INTRA4X4_DC;
    let bestCost = Infinity;
    for (let mode = 0; mode < INTRA4X4_MODES_TRIED; mode++) {
      if (
        (mode === INTRA4X4_VERTICAL && !hasTop) || (mode === INTRA4X4_HORIZONTAL && !hasLeft)
      ) continue;
      let cost = mode === predicted ? 0 : REM_MODE_COST;
      for (let r = 0; r < 4; r++) {
        const so = (mby * 16 + by + r) * ss + mbx * 16 + bx;
        for (let col = 0; col < 4; col++) {
          const p = mode === INTRA4X4_VERTICAL
            ? top[col]
            : mode === INTRA4X4_HORIZONTAL
            ? left[r]
            : dc;
          const d = src[so + col] - p;
          cost += d < 0 ? -d : d;
        }
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = mode;
      }
    }
    c.modes[blk] = best;
    c.predictedModes[blk] = predicted;
    for (let r = 0; r < 4; r++) {
      const so = (mby * 16 + by + r) * ss + mbx * 16 + bx;
      for (let col = 0; col < 4; col++) {
        const p = best === INTRA4X4_VERTICAL
          ? top[col]
          : best === INTRA4X4_HORIZONTAL
          ? left[r]
          : dc;
        pred[(by + r) * 16 + bx + col] = p;
        block[r * 4 + col] = src[so + col] - p;
      }
    }
    codeLumaResidual(st, c, blk, true);
  }
  predictChromaDc(st);
  codeChroma(st, c, true);
}
