/**
 * Macroblock syntax: macroblock_layer() (clause 7.3.5) of a candidate into its own bits: mb_type,
 * prediction modes, coded_block_pattern and the residual blocks through CAVLC, each with its nC
 * context from the neighbours' coefficient counts (clause 9.2.1).
 */
import { CHROMA_DC_NC, writeResidualBlock } from "./_cavlc.ts";
import {
  CBP_CHROMA_DC_AC,
  CHROMA_PRED_DC,
  MB_I_16X16_BASE,
  MB_I_16X16_CBP_CHROMA_STEP,
  MB_I_16X16_CBP_LUMA_STEP,
  MB_I_NXN,
  MB_P_INTRA_OFFSET,
  MB_P_L0_16X16,
} from "./_constants.ts";
import { BLOCK_AT, type Candidate, type EncoderState, MbKind } from "./_macroblock.ts";
import { BLOCK_X, BLOCK_Y, CBP_TO_CODE_INTER, CBP_TO_CODE_INTRA, ZIGZAG_4X4 } from "./_tables.ts";

/** nC from the left (`nA`) and upper (`nB`) blocks' counts, −1 where one is unavailable. */
function neighbourContext(nA: number, nB: number): number {
  return nA >= 0 && nB >= 0 ? (nA + nB + 1) >> 1 : nA >= 0 ? nA : nB >= 0 ? nB : 0;
}

/** nC of luma block `blk` of the current macroblock, being coded as `c`. */
function lumaContext(st: EncoderState, c: Candidate, blk: number): number {
  const { mbx, mby } = st;
  const bx = BLOCK_X[blk] >> 2;
  const by = BLOCK_Y[blk] >> 2;
  const gw = st.mbWidth * 4;
  let nA = -1;
  let nB = -1;
  if (bx > 0) nA = c.nzLuma[BLOCK_AT[by * 4 + bx - 1]];
  else if (mbx > 0) nA = st.nzLuma[(mby * 4 + by) * gw + mbx * 4 - 1];
  if (by > 0) nB = c.nzLuma[BLOCK_AT[(by - 1) * 4 + bx]];
  else if (mby > 0) nB = st.nzLuma[(mby * 4 - 1) * gw + mbx * 4 + bx];
  return neighbourContext(nA, nB);
}

/**
 * nC of chroma AC block `blk` (Cb 0..3 then Cr 4..7, as in `c.nzChroma`) of the current
 * macroblock, being coded as `c`.
 */
function chromaContext(st: EncoderState, c: Candidate, blk: number): number {
  const { mbx, mby } = st;
  const bx = blk & 1;
  const by = (blk >> 1) & 1;
  const cw = st.mbWidth * 2;
  const grid = st.nzChroma[blk >> 2];
  let nA = -1;
  let nB = -1;
  if (bx > 0) nA = c.nzChroma[blk - 1];
  else if (mbx > 0) nA = grid[(mby * 2 + by) * cw + mbx * 2 - 1];
  if (by > 0) nB = c.nzChroma[blk - 2];
  else if (mby > 0) nB = grid[(mby * 2 - 1) * cw + mbx * 2 + bx];
  return neighbourContext(nA, nB);
}

/** macroblock_layer() of a candidate for the current macroblock into its own bit buffer. */
export function writeMacroblock(st: EncoderState, c: Candidate): void {
  const pSlice = st.pSlice;
  const w = c.bits;
  const scan = st.scan;
  if (c.kind === MbKind.Intra16) {
    const mbType = MB_I_16X16_BASE + c.predMode + MB_I_16X16_CBP_CHROMA_STEP * c.cbpChroma +
      (c.cbpLuma ? MB_I_16X16_CBP_LUMA_STEP : 0);
    w.ue(pSlice ? MB_P_INTRA_OFFSET + mbType : mbType);
    w.ue(CHROMA_PRED_DC); // intra_chroma_pred_mode
    w.se(0); // mb_qp_delta
    for (let i = 0; i < 16; i++) scan[i] = c.lumaDc[ZIGZAG_4X4[i]];
    writeResidualBlock(w, scan, 16, lumaContext(st, c, 0));
    if (c.cbpLuma) {
      for (let blk = 0; blk < 16; blk++) {
        const base = blk * 16;
        for (let i = 1; i < 16; i++) scan[i - 1] = c.luma[base + ZIGZAG_4X4[i]];
        writeResidualBlock(w, scan, 15, lumaContext(st, c, blk));
      }
    }
  } else {
    const cbp = c.cbpLuma | (c.cbpChroma << 4);
    if (c.kind === MbKind.Intra4) {
      w.ue(pSlice ? MB_P_INTRA_OFFSET + MB_I_NXN : MB_I_NXN);
      for (let blk = 0; blk < 16; blk++) {
        const mode = c.modes[blk];
        const predicted = c.predictedModes[blk];
        if (mode === predicted) {
          w.u(1, 1); // prev_intra4x4_pred_mode_flag
        } else {
          w.u(4, mode < predicted ? mode : mode - 1); // flag 0, rem_intra4x4_pred_mode
        }
      }
      w.ue(CHROMA_PRED_DC); // intra_chroma_pred_mode
      w.ue(CBP_TO_CODE_INTRA[cbp]);
    } else {
      w.ue(MB_P_L0_16X16); // one reference, so no ref_idx
      w.se(0); // mvd_l0 x
      w.se(0); // mvd_l0 y
      w.ue(CBP_TO_CODE_INTER[cbp]);
    }
    if (cbp > 0) w.se(0); // mb_qp_delta
    for (let blk = 0; blk < 16; blk++) {
      if (!(c.cbpLuma & (1 << (blk >> 2)))) continue;
      const base = blk * 16;
      for (let i = 0; i < 16; i++) scan[i] = c.luma[base + ZIGZAG_4X4[i]];
      writeResidualBlock(w, scan, 16, lumaContext(st, c, blk));
    }
  }
  if (c.cbpChroma !== 0) { // chroma DC, coded under either chroma pattern
    for (let comp = 0; comp < 2; comp++) {
      for (let i = 0; i < 4; i++) scan[i] = c.chromaDc[comp * 4 + i];
      writeResidualBlock(w, scan, 4, CHROMA_DC_NC);
    }
  }
  if (c.cbpChroma === CBP_CHROMA_DC_AC) {
    for (let blk = 0; blk < 8; blk++) { // Cb blocks, then Cr
      const base = blk * 16;
      for (let i = 1; i < 16; i++) scan[i - 1] = c.chromaAc[base + ZIGZAG_4X4[i]];
      writeResidualBlock(w, scan, 15, chromaContext(st, c, blk));
    }
  }
}
