/**
 * What the parts of the encoder share: a macroblock's candidate coding, and the state it is coded
 * against (the reconstruction, the neighbours' coefficient counts and Intra_4x4 modes, scratch
 * buffers). Committing the chosen candidate updates that state.
 */
import { BitWriter } from "./_bit_writer.ts";
import { INTRA16X16_DC, INTRA4X4_DC } from "./_constants.ts";
import { YuvPicture } from "./_picture.ts";
import { BLOCK_X, BLOCK_Y, chromaQp } from "./_tables.ts";

/** Block index of the 4×4 luma block at column x, row y (in blocks) of a macroblock. */
export const BLOCK_AT: readonly number[] = [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15];

/** How a candidate codes its macroblock. */
export const enum MbKind {
  /** P_L0_16x16 with a zero motion vector. */
  Inter,
  Intra16,
  Intra4,
}

/** A macroblock's coding, before it is chosen and committed. */
export class Candidate {
  kind: MbKind = MbKind.Inter;
  /** Intra16x16PredMode. */
  predMode: number = INTRA16X16_DC;
  cbpLuma = 0;
  cbpChroma = 0;
  /** Levels of each 4×4 luma block in raster order, by blkIdx. */
  readonly luma = new Int32Array(256);
  /** Intra_16x16 DC levels, raster by block row/column. */
  readonly lumaDc = new Int32Array(16);
  /** Chroma DC levels, Cb then Cr. */
  readonly chromaDc = new Int32Array(8);
  /** Chroma AC levels of Cb blocks 0..3 then Cr blocks 0..3, raster order. */
  readonly chromaAc = new Int32Array(128);
  readonly nzLuma = new Uint8Array(16);
  /** Intra_4x4 prediction mode of each block (by blkIdx), and the mode predicted for it. */
  readonly modes = new Uint8Array(16);
  readonly predictedModes = new Uint8Array(16);
  readonly nzChroma = new Uint8Array(8);
  readonly reconY = new Uint8Array(256);
  readonly reconU = new Uint8Array(64);
  readonly reconV = new Uint8Array(64);
  readonly bits = new BitWriter(1024);
}

/** The picture being coded, as far as it is coded, and the buffers every part works in. */
export class EncoderState {
  readonly qp: number;
  /** The chroma quantiser for {@link qp}. */
  readonly qpc: number;
  readonly mbWidth: number;
  readonly mbHeight: number;
  /** What a decoder reconstructs: the prediction source, and the reference for the next picture. */
  readonly recon: YuvPicture;
  /** TotalCoeff of each 4×4 luma block on the picture's block grid (the CAVLC contexts). */
  readonly nzLuma: Uint8Array;
  /** TotalCoeff of each 4×4 chroma AC block, Cb and Cr grids. */
  readonly nzChroma: [Uint8Array, Uint8Array];
  /** Intra_4x4 modes on the 4×4 block grid; DC where a macroblock is not Intra_4x4. */
  readonly modes: Uint8Array;
  /** One 4×4 block of residual or coefficients. */
  readonly block = new Int32Array(16);
  /** Coefficients in scan order for CAVLC; chroma DC levels during reconstruction. */
  readonly scan = new Int32Array(16);
  /** DC coefficients of a macroblock's blocks. */
  readonly dc = new Int32Array(16);
  /** Luma prediction of the macroblock, 16×16. */
  readonly pred = new Uint8Array(256);
  /** Cb and Cr prediction, 8×8 each. */
  readonly predU = new Uint8Array(64);
  readonly predV = new Uint8Array(64);
  /** The samples above and left of an Intra_4x4 block. */
  readonly top = new Int32Array(4);
  readonly left = new Int32Array(4);
  /** The picture being coded (set by {@link startPicture}). */
  source: YuvPicture;
  /** A P slice (else IDR); set by {@link startPicture}. */
  pSlice = false;
  /** Column and row, in macroblocks, of the macroblock being coded (set by the picture loop). */
  mbx = 0;
  mby = 0;

  constructor(width: number, height: number, qp: number) {
    this.qp = qp;
    this.qpc = chromaQp(qp);
    this.recon = new YuvPicture(width, height);
    this.source = this.recon;
    this.mbWidth = this.recon.mbWidth;
    this.mbHeight = this.recon.mbHeight;
    const mbs = this.mbWidth * this.mbHeight;
    this.nzLuma = new Uint8Array(mbs * 16);
    this.nzChroma = [new Uint8Array(mbs * 4), new Uint8Array(mbs * 4)];
    this.modes = new Uint8Array(mbs * 16).fill(INTRA4X4_DC);
  }

  /**
   * Start coding `source` (as a P slice, or IDR): forget the previous picture's neighbour
   * contexts.
   */
  startPicture(source: YuvPicture, pSlice: boolean): void {
    this.source = source;
    this.pSlice = pSlice;
    this.nzLuma.fill(0);
    this.nzChroma[0].fill(0);
    this.nzChroma[1].fill(0);
    this.modes.fill(INTRA4X4_DC);
  }
}

/** Store a chosen candidate's reconstruction and contexts at the current macroblock. */
export function commitMacroblock(st: EncoderState, c: Candidate): void {
  const { mbx, mby } = st;
  const { y, u, v, lumaStride, chromaStride } = st.recon;
  const reconY = c.reconY;
  for (let r = 0; r < 16; r++) {
    const o = (mby * 16 + r) * lumaStride + mbx * 16;
    for (let i = 0; i < 16; i++) y[o + i] = reconY[r * 16 + i];
  }
  const reconU = c.reconU;
  const reconV = c.reconV;
  for (let r = 0; r < 8; r++) {
    const o = (mby * 8 + r) * chromaStride + mbx * 8;
    for (let i = 0; i < 8; i++) {
      u[o + i] = reconU[r * 8 + i];
      v[o + i] = reconV[r * 8 + i];
    }
  }
  const gw = st.mbWidth * 4;
  for (let blk = 0; blk < 16; blk++) {
    st.nzLuma[(mby * 4 + (BLOCK_Y[blk] >> 2)) * gw + mbx * 4 + (BLOCK_X[blk] >> 2)] = c.nzLuma[blk];
  }
  if (c.kind === MbKind.Intra4) {
    for (let blk = 0; blk < 16; blk++) {
      st.modes[(mby * 4 + (BLOCK_Y[blk] >> 2)) * gw + mbx * 4 + (BLOCK_X[blk] >> 2)] = c.modes[blk];
    }
  }
  const cw = st.mbWidth * 2;
  for (let comp = 0; comp < 2; comp++) {
    for (let blk = 0; blk < 4; blk++) {
      st.nzChroma[comp][(mby * 2 + (blk >> 1)) * cw + mbx * 2 + (blk & 1)] =
        c.nzChroma[comp * 4 + blk];
    }
  }
}
