/**
 * CAVLC residual_block (clause 7.3.5.3.2 / 9.2): coefficients in scan order → bits.
 */
import type { BitWriter } from "./_bit_writer.ts";
import {
  chromaDcCoeffToken,
  chromaDcTotalZeros,
  coeffToken,
  runBefore,
  totalZeros,
} from "./_tables.ts";

/** nC value that selects the chroma DC (4:2:0) coeff_token table. */
export const CHROMA_DC_NC = -1;

const levelScratch = new Int32Array(16);
const runScratch = new Int32Array(16);

/**
 * Write one residual block. `coefficients` holds `count` levels in scan order (16 for a 4×4
 * block, 15 for an AC block, 4 for chroma DC); `nC` is the context from the neighbours' totals
 * (−1 for chroma DC). Returns TotalCoeff, which neighbours use as their context.
 */
export function writeResidualBlock(
  writer: BitWriter,
  coefficients: Int32Array,
  count: number,
  nC: number,
): number {
  // Non-zero levels from the highest frequency down, with the zeros run before each.
  let total = 0;
  let run = 0;
  let lastNonZero = -1;
  for (let i = count - 1; i >= 0; i--) {
    if (coefficients[i] !== 0) {
      lastNonZero = i;
      break;
    }
  }
  let totalZeroCount = 0;
  for (let i = lastNonZero; i >= 0; i--) {
    const c = coefficients[i];
    if (c === 0) {
      run++;
      continue;
    }
    if (total > 0) runScratch[total - 1] = run;
    totalZeroCount += total > 0 ? run : 0;
    run = 0;
    levelScratch[total++] = c;
  }
  // Zeros below the lowest-frequency non-zero level count toward total_zeros too.
  if (total > 0) {
    runScratch[total - 1] = run;
    totalZeroCount += run;
  }

  let trailingOnes = 0;
  while (
    trailingOnes < total && trailingOnes < 3 &&
    (levelScratch[trailingOnes] === 1 || levelScratch[trailingOnes] === -1)
  ) trailingOnes++;

  const token = nC === CHROMA_DC_NC
    ? chromaDcCoeffToken(total, trailingOnes)
    : coeffToken(nC, total, trailingOnes);
  writer.u(token >>> 16, token & 0xffff);
  if (total === 0) return 0;

  for (let i = 0; i < trailingOnes; i++) writer.u(1, levelScratch[i] < 0 ? 1 : 0);

  let suffixLength = total > 10 && trailingOnes < 3 ? 1 : 0;
  for (let i = trailingOnes; i < total; i++) {
    const level = levelScratch[i];
    let levelCode = level > 0 ? 2 * level - 2 : -2 * level - 1;
    if (i === trailingOnes && trailingOnes < 3) levelCode -= 2;
    writeLevel(writer, levelCode, suffixLength);
    if (suffixLength === 0) suffixLength = 1;
    const magnitude = level < 0 ? -level : level;
    if (magnitude > (3 << (suffixLength - 1)) && suffixLength < 6) suffixLength++;
  }

  if (total < count) {
    const zeros = nC === CHROMA_DC_NC
      ? chromaDcTotalZeros(total, totalZeroCount)
      : totalZeros(total, totalZeroCount);
    writer.u(zeros >>> 16, zeros & 0xffff);
  }
  let zerosLeft = totalZeroCount;
  for (let i = 0; i < total - 1 && zerosLeft > 0; i++) {
    const code = runBefore(zerosLeft, runScratch[i]);
    writer.u(code >>> 16, code & 0xffff);
    zerosLeft -= runScratch[i];
  }
  return total;
}

/** level_prefix (unary) and level_suffix for one levelCode (clause 9.2.2.1, Baseline range). */
function writeLevel(writer: BitWriter, levelCode: number, suffixLength: number): void {
  if (suffixLength === 0) {
    if (levelCode < 14) {
      writer.u(levelCode + 1, 1);
    } else if (levelCode < 30) {
      writer.u(15, 1);
      writer.u(4, levelCode - 14);
    } else {
      writeEscape(writer, levelCode - 30);
    }
    return;
  }
  if (levelCode < 15 << suffixLength) {
    writer.u((levelCode >> suffixLength) + 1, 1);
    writer.u(suffixLength, levelCode & ((1 << suffixLength) - 1));
  } else {
    writeEscape(writer, levelCode - (15 << suffixLength));
  }
}

function writeEscape(writer: BitWriter, suffix: number): void {
  if (suffix >= 4096) {
    throw new RangeError(`CAVLC level out of Baseline range (suffix ${suffix}): lower the QP`);
  }
  writer.u(16, 1);
  writer.u(12, suffix);
}
