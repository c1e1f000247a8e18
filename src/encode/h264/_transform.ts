/**
 * The 4×4 integer transform, its inverse (clause 8.5.12), the DC Hadamard transforms and the
 * flat-matrix quantiser and scaler. Blocks are 16 values in raster order (row × 4 + column).
 */
import { DEQUANT_V, POSITION_CLASS, QUANT_MF } from "./_tables.ts";

/** Forward core transform of a residual block, in place. */
export function forward4x4(block: Int32Array): void {
  for (let r = 0; r < 16; r += 4) {
    const s03 = block[r] + block[r + 3];
    const d03 = block[r] - block[r + 3];
    const s12 = block[r + 1] + block[r + 2];
    const d12 = block[r + 1] - block[r + 2];
    block[r] = s03 + s12;
    block[r + 1] = 2 * d03 + d12;
    block[r + 2] = s03 - s12;
    block[r + 3] = d03 - 2 * d12;
  }
  for (let c = 0; c < 4; c++) {
    const s03 = block[c] + block[c + 12];
    const d03 = block[c] - block[c + 12];
    const s12 = block[c + 4] + block[c + 8];
    const d12 = block[c + 4] - block[c + 8];
    block[c] = s03 + s12;
    block[c + 4] = 2 * d03 + d12;
    block[c + 8] = s03 - s12;
    block[c + 12] = d03 - 2 * d12;
  }
}

/**
 * Inverse transform of scaled coefficients, in place, including the final (x + 32) >> 6: the
 * result is the residual to add to the prediction.
 */
export function inverse4x4(block: Int32Array): void {
  for (let r = 0; r < 16; r += 4) {
    const e0 = block[r] + block[r + 2];
    const e1 = block[r] - block[r + 2];
    const e2 = (block[r + 1] >> 1) - block[r + 3];
    const e3 = block[r + 1] + (block[r + 3] >> 1);
    block[r] = e0 + e3;
    block[r + 1] = e1 + e2;
    block[r + 2] = e1 - e2;
    block[r + 3] = e0 - e3;
  }
  for (let c = 0; c < 4; c++) {
    const e0 = block[c] + block[c + 8];
    const e1 = block[c] - block[c + 8];
    const e2 = (block[c + 4] >> 1) - block[c + 12];
    const e3 = block[c + 4] + (block[c + 12] >> 1);
    block[c] = (e0 + e3 + 32) >> 6;
    block[c + 4] = (e1 + e2 + 32) >> 6;
    block[c + 8] = (e1 - e2 + 32) >> 6;
    block[c + 12] = (e0 - e3 + 32) >> 6;
  }
}

/**
 * 4×4 Hadamard transform (luma DC of Intra_16x16), in place, unscaled, with the rows of the
 * standard's matrix: [1 1 1 1], [1 1 −1 −1], [1 −1 −1 1], [1 −1 1 −1].
 */
export function hadamard4x4(block: Int32Array): void {
  for (let r = 0; r < 16; r += 4) {
    const a = block[r] + block[r + 1];
    const b = block[r] - block[r + 1];
    const c = block[r + 2] + block[r + 3];
    const d = block[r + 2] - block[r + 3];
    block[r] = a + c;
    block[r + 1] = a - c;
    block[r + 2] = b - d;
    block[r + 3] = b + d;
  }
  for (let col = 0; col < 4; col++) {
    const a = block[col] + block[col + 4];
    const b = block[col] - block[col + 4];
    const c = block[col + 8] + block[col + 12];
    const d = block[col + 8] - block[col + 12];
    block[col] = a + c;
    block[col + 4] = a - c;
    block[col + 8] = b - d;
    block[col + 12] = b + d;
  }
}

/**
 * Quantise a transformed block into `levels` at offset `at` (raster order), from index `start`
 * (1 skips the DC).
 * `intra` picks the rounding offset (1/3 intra, 1/6 inter). Returns the count of non-zero levels.
 */
export function quantize4x4(
  coefficients: Int32Array,
  levels: Int32Array,
  at: number,
  qp: number,
  intra: boolean,
  start = 0,
): number {
  const mf = QUANT_MF[qp % 6];
  const qbits = 15 + ((qp / 6) | 0);
  const offset = ((1 << qbits) / (intra ? 3 : 6)) | 0;
  let nonZero = 0;
  if (start > 0) levels[at] = 0;
  for (let i = start; i < 16; i++) {
    const w = coefficients[i];
    const level = ((w < 0 ? -w : w) * mf[POSITION_CLASS[i]] + offset) >> qbits;
    if (level !== 0) {
      nonZero++;
      levels[at + i] = w < 0 ? -level : level;
    } else {
      levels[at + i] = 0;
    }
  }
  return nonZero;
}

/** Quantise DC coefficients (4×4 luma or 2×2 chroma, Hadamard-transformed) into `levels` at `at`. */
export function quantizeDc(
  coefficients: Int32Array,
  levels: Int32Array,
  at: number,
  count: number,
  qp: number,
  intra: boolean,
): number {
  const mf = QUANT_MF[qp % 6][0];
  const qbits = 16 + ((qp / 6) | 0);
  const offset = ((1 << qbits) / (intra ? 3 : 6)) | 0;
  let nonZero = 0;
  for (let i = 0; i < count; i++) {
    const w = coefficients[i];
    const level = ((w < 0 ? -w : w) * mf + offset) >> qbits;
    levels[at + i] = w < 0 ? -level : level;
    if (level !== 0) nonZero++;
  }
  return nonZero;
}

/** Scale levels (at offset `at`) back to coefficients (clause 8.5.12.1, flat matrices). */
export function dequantize4x4(
  levels: Int32Array,
  at: number,
  out: Int32Array,
  qp: number,
  start = 0,
): void {
  const v = DEQUANT_V[qp % 6];
  const shift = (qp / 6) | 0;
  for (let i = start; i < 16; i++) out[i] = (levels[at + i] * v[POSITION_CLASS[i]]) << shift;
}

/** Decoder-side luma DC: inverse Hadamard and scaling of Intra_16x16 DC levels (clause 8.5.10). */
export function dequantizeLumaDc(levels: Int32Array, out: Int32Array, qp: number): void {
  out.set(levels);
  hadamard4x4(out);
  const scale = 16 * DEQUANT_V[qp % 6][0];
  const qp6 = (qp / 6) | 0;
  for (let i = 0; i < 16; i++) {
    out[i] = qp6 >= 6
      ? (out[i] * scale) << (qp6 - 6)
      : (out[i] * scale + (1 << (5 - qp6))) >> (6 - qp6);
  }
}

/** 2×2 Hadamard of chroma DC values [c0, c1, c2, c3], in place. */
export function hadamard2x2(dc: Int32Array): void {
  const a = dc[0] + dc[1];
  const b = dc[0] - dc[1];
  const c = dc[2] + dc[3];
  const d = dc[2] - dc[3];
  dc[0] = a + c;
  dc[1] = b + d;
  dc[2] = a - c;
  dc[3] = b - d;
}

/** Decoder-side chroma DC (4:2:0, clause 8.5.11.2): inverse Hadamard and scaling. */
export function dequantizeChromaDc(levels: Int32Array, out: Int32Array, qpc: number): void {
  for (let i = 0; i < 4; i++) out[i] = levels[i];
  hadamard2x2(out);
  const scale = 16 * DEQUANT_V[qpc % 6][0];
  const qp6 = (qpc / 6) | 0;
  for (let i = 0; i < 4; i++) out[i] = ((out[i] * scale) << qp6) >> 5;
}
