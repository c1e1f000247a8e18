/**
 * Mode decision: how to code a changed macroblock. Each coding is analysed into its own
 * candidate and written into the candidate's bits; the one with fewer bits wins. In a P slice
 * an inter candidate without residual is left to P_Skip.
 */
import {
  INTRA16X16_DC,
  INTRA16X16_HORIZONTAL,
  INTRA16X16_MODES_TRIED,
  INTRA16X16_VERTICAL,
} from "./_constants.ts";
import { analyseIntra4x4, flatIntra16, predictChromaDc, predictIntra16 } from "./_intra.ts";
import { Candidate, type EncoderState, MbKind } from "./_macroblock.ts";
import { writeMacroblock } from "./_macroblock_syntax.ts";
import { codeChroma, codeInterLuma, codeIntra16Luma } from "./_residual.ts";

/** Chooses each changed macroblock's coding, reusing one candidate per kind. */
export class ModeDecision {
  readonly #st: EncoderState;
  readonly #tryIntra16: boolean;
  readonly #intra16 = new Candidate();
  readonly #inter = new Candidate();
  readonly #intra4 = new Candidate();

  constructor(st: EncoderState, tryIntra16: boolean) {
    this.#st = st;
    this.#tryIntra16 = tryIntra16;
  }

  /**
   * The cheaper coding of the current macroblock (a changed one), written into its bits; null for
   * P_Skip.
   */
  choose(): Candidate | null {
    const st = this.#st;
    const pSlice = st.pSlice;
    const intra = this.#intra16;
    if (!pSlice && flatIntra16(st, intra)) {
      intra.bits.reset();
      writeMacroblock(st, intra);
      return intra;
    }
    const intra4 = this.#intra4;
    analyseIntra4x4(st, intra4);
    intra4.bits.reset();
    writeMacroblock(st, intra4);
    let bestIntra = intra4;
    if (this.#tryIntra16 && !pSlice) {
      analyseIntra16(st, intra);
      intra.bits.reset();
      writeMacroblock(st, intra);
      if (intra.bits.bitLength <= intra4.bits.bitLength) bestIntra = intra;
    }
    if (!pSlice) return bestIntra;
    const inter = this.#inter;
    analyseInter(st, inter);
    if (inter.cbpLuma === 0 && inter.cbpChroma === 0) return null;
    inter.bits.reset();
    writeMacroblock(st, inter);
    return inter.bits.bitLength <= bestIntra.bits.bitLength ? inter : bestIntra;
  }
}

/** P_L0_16x16 with a zero motion vector: the previous reconstruction is the prediction. */
function analyseInter(st: EncoderState, c: Candidate): void {
  c.kind = MbKind.Inter;
  const { mbx, mby } = st;
  const { y, u, v, lumaStride, chromaStride } = st.recon;
  const pred = st.pred;
  for (let r = 0; r < 16; r++) {
    const o = (mby * 16 + r) * lumaStride + mbx * 16;
    pred.set(y.subarray(o, o + 16), r * 16);
  }
  for (let r = 0; r < 8; r++) {
    const o = (mby * 8 + r) * chromaStride + mbx * 8;
    st.predU.set(u.subarray(o, o + 8), r * 8);
    st.predV.set(v.subarray(o, o + 8), r * 8);
  }
  codeInterLuma(st, c);
  codeChroma(st, c, false);
}

/** Intra_16x16 in the mode with the least absolute difference from the source. */
function analyseIntra16(st: EncoderState, c: Candidate): void {
  c.kind = MbKind.Intra16;
  const { mbx, mby } = st;
  const { lumaStride } = st.recon;
  const left = mbx > 0;
  const top = mby > 0;
  const x0 = mbx * 16;
  const y0 = mby * 16;
  const src = st.source.y;
  const pred = st.pred;
  let best: number = INTRA16X16_DC;
  let bestSad = Infinity;
  for (let mode = 0; mode < INTRA16X16_MODES_TRIED; mode++) {
    if ((mode === INTRA16X16_VERTICAL && !top) || (mode === INTRA16X16_HORIZONTAL && !left)) {
      continue;
    }
    predictIntra16(st, mode);
    let sad = 0;
    for (let r = 0; r < 16; r++) {
      const s = (y0 + r) * lumaStride + x0;
      for (let col = 0; col < 16; col++) {
        const d = src[s + col] - pred[r * 16 + col];
        sad += d < 0 ? -d : d;
      }
    }
    if (sad < bestSad) {
      bestSad = sad;
      best = mode;
    }
  }
  c.predMode = best;
  predictIntra16(st, best);
  codeIntra16Luma(st, c);
  predictChromaDc(st);
  codeChroma(st, c, true);
}
