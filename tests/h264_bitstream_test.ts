/**
 * The H.264 encoder's building blocks against the standard: bit writer and Exp-Golomb codes
 * (clause 9.1), emulation prevention (7.4.1), CAVLC tables and a whole residual block (9.2),
 * the integer transform and quantiser round trip (8.5).
 */
import assert from "node:assert/strict";
import { annexB, BitWriter, nalUnit } from "../src/encode/h264/_bit_writer.ts";
import { writeResidualBlock } from "../src/encode/h264/_cavlc.ts";
import {
  chromaDcCoeffToken,
  coeffToken,
  runBefore,
  totalZeros,
} from "../src/encode/h264/_tables.ts";
import {
  dequantize4x4,
  forward4x4,
  hadamard4x4,
  inverse4x4,
  quantize4x4,
} from "../src/encode/h264/_transform.ts";
import { fpsFraction } from "../src/encode/h264/_headers.ts";

function bits(write: (w: BitWriter) => void): string {
  const w = new BitWriter(4);
  write(w);
  const n = w.bitLength;
  w.u((8 - (n % 8)) % 8, 0);
  return [...w.bytes()].map((b) => b.toString(2).padStart(8, "0")).join("").slice(0, n);
}

function packed(code: number): string {
  return (code & 0xffff).toString(2).padStart(code >>> 16, "0");
}

Deno.test("bit writer: fixed-width fields span bytes, most significant bit first", () => {
  assert.equal(bits((w) => w.u(3, 0b101)), "101");
  assert.equal(bits((w) => (w.u(5, 0b10011), w.u(7, 0b1010101))), "100111010101");
  assert.equal(bits((w) => w.u(32, 0xdeadbeef)), (0xdeadbeef).toString(2));
  const inner = new BitWriter();
  inner.u(11, 0b10110011101);
  assert.equal(bits((w) => (w.u(3, 0b111), w.append(inner))), "11110110011101");
});

Deno.test("Exp-Golomb ue(v) and se(v) match Table 9-2 and 9-3", () => {
  const ue = ["1", "010", "011", "00100", "00101", "00110", "00111", "0001000", "0001001"];
  ue.forEach((code, v) => assert.equal(bits((w) => w.ue(v)), code, `ue(${v})`));
  assert.equal(bits((w) => w.ue(65534)), "0".repeat(15) + (65535).toString(2));
  assert.equal(bits((w) => w.ue(1 << 20)), "0".repeat(20) + ((1 << 20) + 1).toString(2));
  const se: [number, string][] = [[0, "1"], [1, "010"], [-1, "011"], [2, "00100"], [-2, "00101"]];
  for (const [v, code] of se) assert.equal(bits((w) => w.se(v)), code, `se(${v})`);
});

Deno.test("NAL units: emulation prevention after two zero bytes, start codes in Annex B", () => {
  const rbsp = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 4, 0, 0);
  assert.deepEqual(
    [...nalUnit(3, 5, rbsp)],
    [0x65, 0, 0, 3, 0, 0, 3, 0, 1, 0, 0, 3, 2, 0, 0, 4, 0, 0],
  );
  assert.deepEqual([...annexB([Uint8Array.of(0x67, 1)])], [0, 0, 0, 1, 0x67, 1]);
});

Deno.test("CAVLC tables: coeff_token, total_zeros and run_before codes of Tables 9-5, 9-7, 9-10", () => {
  // coeff_token for 0 <= nC < 2
  assert.equal(packed(coeffToken(0, 0, 0)), "1");
  assert.equal(packed(coeffToken(1, 1, 1)), "01");
  assert.equal(packed(coeffToken(0, 1, 0)), "000101");
  assert.equal(packed(coeffToken(0, 2, 2)), "001");
  assert.equal(packed(coeffToken(0, 5, 3)), "0000100");
  assert.equal(packed(coeffToken(0, 16, 0)), "0000000000000100");
  assert.equal(packed(coeffToken(0, 16, 3)), "0000000000001000");
  // 2 <= nC < 4, 4 <= nC < 8, 8 <= nC (6-bit fixed length)
  assert.equal(packed(coeffToken(2, 0, 0)), "11");
  assert.equal(packed(coeffToken(3, 3, 3)), "0101");
  assert.equal(packed(coeffToken(4, 0, 0)), "1111");
  assert.equal(packed(coeffToken(7, 1, 1)), "1110");
  assert.equal(packed(coeffToken(8, 0, 0)), "000011");
  assert.equal(packed(coeffToken(16, 1, 0)), "000000");
  assert.equal(packed(coeffToken(9, 16, 3)), "111111");
  // chroma DC (nC = -1)
  assert.equal(packed(chromaDcCoeffToken(0, 0)), "01");
  assert.equal(packed(chromaDcCoeffToken(1, 1)), "1");
  assert.equal(packed(chromaDcCoeffToken(4, 3)), "0000000");
  // total_zeros
  assert.equal(packed(totalZeros(1, 0)), "1");
  assert.equal(packed(totalZeros(1, 15)), "000000001");
  assert.equal(packed(totalZeros(5, 3)), "111");
  assert.equal(packed(totalZeros(15, 1)), "1");
  // run_before
  assert.equal(packed(runBefore(1, 0)), "1");
  assert.equal(packed(runBefore(3, 1)), "10");
  assert.equal(packed(runBefore(6, 6)), "100");
  assert.equal(packed(runBefore(9, 14)), "00000000001");
});

Deno.test("CAVLC: the standard worked example block encodes to its known bit string", () => {
  // Block 0 3 -1 0 / 0 -1 1 0 / 1 0 0 0 / 0 ... in zig-zag order, nC = 0.
  const scan = Int32Array.of(0, 3, 0, 1, -1, -1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
  let total = -1;
  const code = bits((w) => total = writeResidualBlock(w, scan, 16, 0));
  assert.equal(code, "000010001110010111101101");
  assert.equal(total, 5);
  // An empty block is the one-bit token; large levels take the escape code.
  assert.equal(bits((w) => writeResidualBlock(w, new Int32Array(16), 16, 0)), "1");
  const big = new Int32Array(16);
  big[0] = 200;
  assert.equal(
    bits((w) => writeResidualBlock(w, big, 16, 0)),
    "000101" + "0000000000000001" + (200 * 2 - 2 - 2 - 30).toString(2).padStart(12, "0") + "1",
  );
});

Deno.test("transform: forward, quantise, scale and inverse return the residual at low QP", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 511 - 255;
  for (const qp of [0, 4, 12]) {
    let worst = 0;
    for (let trial = 0; trial < 200; trial++) {
      const residual = Int32Array.from({ length: 16 }, random);
      const block = residual.slice();
      forward4x4(block);
      const levels = new Int32Array(16);
      quantize4x4(block, levels, 0, qp, true);
      const scaled = new Int32Array(16);
      dequantize4x4(levels, 0, scaled, qp);
      inverse4x4(scaled);
      for (let i = 0; i < 16; i++) worst = Math.max(worst, Math.abs(scaled[i] - residual[i]));
    }
    // Quantiser step is 0.625 at QP 0, doubling every 6.
    assert.ok(worst <= Math.ceil(0.625 * 2 ** (qp / 6)), `qp ${qp}: error ${worst}`);
  }
  // A flat block has only a DC coefficient; the Hadamard of a single value spreads it evenly.
  const flat = new Int32Array(16).fill(10);
  forward4x4(flat);
  assert.deepEqual([...flat], [160, ...new Array(15).fill(0)]);
  const dc = new Int32Array(16);
  dc[0] = 3;
  hadamard4x4(dc);
  assert.deepEqual([...dc], new Array(16).fill(3));
});

Deno.test("frame rates become exact fractions for the SPS timing", () => {
  assert.deepEqual(fpsFraction(19.3), { num: 193, den: 10 });
  assert.deepEqual(fpsFraction(24), { num: 24, den: 1 });
  assert.deepEqual(fpsFraction(29.97), { num: 2997, den: 100 });
});
