/**
 * Residual coding and reconstruction: source minus the prediction in the state's buffers,
 * transformed and quantised into a candidate's levels (with `_transform.ts`), then scaled back
 * and added to the prediction, exactly as a decoder reconstructs it.
 */
import { CBP_CHROMA_DC, CBP_CHROMA_DC_AC, CBP_LUMA_ALL } from "./_constants.ts";
import { type Candidate, type EncoderState, MbKind } from "./_macroblock.ts";
import { BLOCK_X, BLOCK_Y } from "./_tables.ts";
import {
  dequantize4x4,
  dequantizeChromaDc,
  dequantizeLumaDc,
  forward4x4,
  hadamard2x2,
  hadamard4x4,
  inverse4x4,
  quantize4x4,
  quantizeDc,
} from "./_transform.ts";

/** Start index of the AC coefficients: blocks whose DC is coded apart skip index 0. */
const AC_START = 1;

/** Plane numbers of {@link subtract4x4} and {@link addClip4x4}. */
const LUMA = 0;
const CB = 1;

/**
 * `st.block` = the source samples of 4×4 block `blk` of the current macroblock in `plane` (luma
 * by blkIdx, or Cb/Cr 0..3 in raster order) minus their prediction.
 */
function subtract4x4(st: EncoderState, plane: number, blk: number): void {
  const { source, block, mbx, mby } = st;
  let src: Uint8Array, pred: Uint8Array, so: number, ss: number, po: number, ps: number;
  if (plane === LUMA) {
    const bx = BLOCK_X[blk];
    const by = BLOCK_Y[blk];
    src = source.y;
    ss = source.lumaStride;
    so = (mby * 16 + by) * ss + mbx * 16 + bx;
    pred = st.pred;
    ps = 16;
    po = by * 16 + bx;
  } else {
    const bx = (blk & 1) * 4;
    const by = (blk >> 1) * 4;
    src = plane === CB ? source.u : source.v;
    ss = source.chromaStride;
    so = (mby * 8 + by) * ss + mbx * 8 + bx;
    pred = plane === CB ? st.predU : st.predV;
    ps = 8;
    po = by * 8 + bx;
  }
  for (let r = 0; r < 4; r++) {
    const s = so + r * ss;
    const p = po + r * ps;
    for (let col = 0; col < 4; col++) block[r * 4 + col] = src[s + col] - pred[p + col];
  }
}

/**
 * The reconstruction of block `blk` of `plane` (numbered as for {@link subtract4x4}) in `c` = its
 * prediction plus the residual in `st.block`, clipped.
 */
function addClip4x4(st: EncoderState, c: Candidate, plane: number, blk: number): void {
  const block = st.block;
  let out: Uint8Array, pred: Uint8Array, o: number, stride: number;
  if (plane === LUMA) {
    out = c.reconY;
    pred = st.pred;
    stride = 16;
    o = BLOCK_Y[blk] * 16 + BLOCK_X[blk];
  } else {
    out = plane === CB ? c.reconU : c.reconV;
    pred = plane === CB ? st.predU : st.predV;
    stride = 8;
    o = (blk >> 1) * 32 + (blk & 1) * 4;
  }
  for (let r = 0; r < 4; r++) {
    for (let col = 0; col < 4; col++) {
      const i = o + r * stride + col;
      const value = pred[i] + block[r * 4 + col];
      out[i] = value < 0 ? 0 : value > 255 ? 255 : value;
    }
  }
}

/**
 * Code the residual of luma block `blk` in `st.block` (Intra_4x4 or inter): transform, quantise,
 * note its coefficient count and coded-block-pattern bit, and reconstruct it.
 */
export function codeLumaResidual(
  st: EncoderState,
  c: Candidate,
  blk: number,
  intra: boolean,
): void {
  const block = st.block;
  forward4x4(block);
  const nz = quantize4x4(block, c.luma, blk * 16, st.qp, intra);
  c.nzLuma[blk] = nz;
  if (nz > 0) c.cbpLuma |= 1 << (blk >> 2);
  reconstructLumaBlock(st, c, blk, nz > 0);
}

/**
 * Luma of an inter macroblock against `st.pred`: sixteen 4×4 blocks, coded-block pattern per
 * 8×8.
 */
export function codeInterLuma(st: EncoderState, c: Candidate): void {
  c.cbpLuma = 0;
  for (let blk = 0; blk < 16; blk++) {
    subtract4x4(st, LUMA, blk);
    codeLumaResidual(st, c, blk, false);
  }
}

/** Luma of an Intra_16x16 macroblock: DC Hadamard plus AC blocks. */
export function codeIntra16Luma(st: EncoderState, c: Candidate): void {
  const block = st.block;
  const dc = st.dc;
  let acNonZero = 0;
  for (let blk = 0; blk < 16; blk++) {
    const bx = BLOCK_X[blk];
    const by = BLOCK_Y[blk];
    subtract4x4(st, LUMA, blk);
    forward4x4(block);
    dc[(by >> 2) * 4 + (bx >> 2)] = block[0];
    const nz = quantize4x4(block, c.luma, blk * 16, st.qp, true, AC_START);
    c.nzLuma[blk] = nz;
    acNonZero += nz;
  }
  hadamard4x4(dc);
  for (let i = 0; i < 16; i++) dc[i] = (dc[i] + (dc[i] < 0 ? -1 : 1)) >> 1;
  quantizeDc(dc, c.lumaDc, 0, 16, st.qp, true);
  c.cbpLuma = acNonZero > 0 ? CBP_LUMA_ALL : 0;
  if (acNonZero === 0) c.nzLuma.fill(0);
  dequantizeLumaDc(c.lumaDc, dc, st.qp); // the scaled DC each block reconstructs with
  for (let blk = 0; blk < 16; blk++) reconstructLumaBlock(st, c, blk, true);
}

/**
 * Reconstruct one luma 4×4 block: prediction + inverse transform of the scaled levels (in
 * Intra_16x16, with the block's scaled DC from `st.dc`).
 */
function reconstructLumaBlock(st: EncoderState, c: Candidate, blk: number, coded: boolean): void {
  const bx = BLOCK_X[blk];
  const by = BLOCK_Y[blk];
  const pred = st.pred;
  const out = c.reconY;
  if (!coded) {
    for (let r = 0; r < 4; r++) {
      const o = (by + r) * 16 + bx;
      out[o] = pred[o];
      out[o + 1] = pred[o + 1];
      out[o + 2] = pred[o + 2];
      out[o + 3] = pred[o + 3];
    }
    return;
  }
  const block = st.block;
  const isIntra16 = c.kind === MbKind.Intra16;
  dequantize4x4(c.luma, blk * 16, block, st.qp, isIntra16 ? AC_START : 0);
  if (isIntra16) block[0] = st.dc[(by >> 2) * 4 + (bx >> 2)];
  inverse4x4(block);
  addClip4x4(st, c, LUMA, blk);
}

/** Both chroma components: DC 2×2 Hadamard plus AC, against the prediction set up before. */
export function codeChroma(st: EncoderState, c: Candidate, intra: boolean): void {
  const block = st.block;
  const qpc = st.qpc;
  const dc = st.dc;
  let dcNonZero = 0;
  let acNonZero = 0;
  for (let comp = 0; comp < 2; comp++) {
    for (let blk = 0; blk < 4; blk++) {
      subtract4x4(st, CB + comp, blk);
      forward4x4(block);
      dc[blk] = block[0];
      const nz = quantize4x4(block, c.chromaAc, (comp * 4 + blk) * 16, qpc, intra, AC_START);
      c.nzChroma[comp * 4 + blk] = nz;
      acNonZero += nz;
    }
    hadamard2x2(dc);
    dcNonZero += quantizeDc(dc, c.chromaDc, comp * 4, 4, qpc, intra);
  }
  c.cbpChroma = acNonZero > 0 ? CBP_CHROMA_DC_AC : dcNonZero > 0 ? CBP_CHROMA_DC : 0;
  if (acNonZero === 0) {
    c.nzChroma.fill(0);
    c.chromaAc.fill(0);
  }
  // Reconstruction.
  const dcLevels = st.scan;
  for (let comp = 0; comp < 2; comp++) {
    const pred = comp === 0 ? st.predU : st.predV;
    const out = comp === 0 ? c.reconU : c.reconV;
    if (c.cbpChroma === 0) {
      out.set(pred);
      continue;
    }
    for (let i = 0; i < 4; i++) dcLevels[i] = c.chromaDc[comp * 4 + i];
    dequantizeChromaDc(dcLevels, dc, qpc);
    for (let blk = 0; blk < 4; blk++) {
      dequantize4x4(c.chromaAc, (comp * 4 + blk) * 16, block, qpc, AC_START);
      block[0] = dc[blk];
      inverse4x4(block);
      addClip4x4(st, c, CB + comp, blk);
    }
  }
}
