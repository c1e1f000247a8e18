/**
 * MSB-first bit writer with the Exp-Golomb codes of H.264 (clause 9.1) and NAL unit framing with
 * emulation prevention (clause 7.4.1).
 */
export class BitWriter {
  #bytes: Uint8Array;
  #length = 0;
  /** The `#bitCount` (< 8) bits not yet in a whole byte, right-aligned. */
  #current = 0;
  #bitCount = 0;

  constructor(capacity = 4096) {
    this.#bytes = new Uint8Array(capacity);
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.#length * 8 + this.#bitCount;
  }

  /** Forget everything written (keeps the buffer). */
  reset(): void {
    this.#length = 0;
    this.#current = 0;
    this.#bitCount = 0;
  }

  #pushByte(byte: number): void {
    if (this.#length === this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes[this.#length++] = byte;
  }

  /** Write the low `count` bits of `value` (count 0..32), most significant first. */
  u(count: number, value: number): void {
    if (count > 24) {
      this.u(count - 16, value >>> 16);
      this.u(16, value & 0xffff);
      return;
    }
    // At most 7 pending bits plus 24 new ones: fits a 31-bit integer.
    let bits = this.#bitCount + count;
    const acc = (this.#current << count) | (value & ((1 << count) - 1));
    while (bits >= 8) {
      bits -= 8;
      this.#pushByte((acc >>> bits) & 0xff);
    }
    this.#current = acc & ((1 << bits) - 1);
    this.#bitCount = bits;
  }

  /** One bit. */
  flag(on: boolean | number): void {
    this.u(1, on ? 1 : 0);
  }

  /** Unsigned Exp-Golomb ue(v). */
  ue(value: number): void {
    const codeNum = value + 1;
    const bits = 32 - Math.clz32(codeNum);
    if (bits > 16) {
      this.u(bits - 1, 0);
      this.u(bits, codeNum);
    } else {
      // Leading zeros and the value fit in one write of at most 31 bits.
      this.u(2 * bits - 1, codeNum);
    }
  }

  /** Signed Exp-Golomb se(v): 1 → 1, −1 → 2, 2 → 3, … */
  se(value: number): void {
    this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** Append everything another writer holds. */
  append(other: BitWriter): void {
    const bytes = other.#bytes;
    if (this.#bitCount === 0) {
      for (let i = 0; i < other.#length; i++) this.#pushByte(bytes[i]);
    } else {
      for (let i = 0; i < other.#length; i++) this.u(8, bytes[i]);
    }
    if (other.#bitCount > 0) this.u(other.#bitCount, other.#current);
  }

  /** rbsp_trailing_bits: a stop bit, then zeros to the byte boundary. */
  trailingBits(): void {
    this.u(1, 1);
    if (this.#bitCount > 0) this.u(8 - this.#bitCount, 0);
  }

  /** The bytes written (must be byte-aligned). */
  bytes(): Uint8Array {
    if (this.#bitCount !== 0) throw new Error("BitWriter.bytes: not byte-aligned");
    return this.#bytes.slice(0, this.#length);
  }
}

/**
 * A NAL unit (without start code): the header byte, then the RBSP with an emulation prevention
 * byte (0x03) inserted wherever two zero bytes would be followed by a byte ≤ 3.
 */
export function nalUnit(refIdc: number, type: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rbsp.length + (rbsp.length >> 1) + 1);
  out[0] = (refIdc << 5) | type;
  let o = 1;
  let zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const byte = rbsp[i];
    if (zeros >= 2 && byte <= 3) {
      out[o++] = 3;
      zeros = 0;
    }
    out[o++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.slice(0, o);
}

/** Annex B byte stream: each NAL unit after a 4-byte start code. */
export function annexB(nals: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const nal of nals) size += 4 + nal.length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const nal of nals) {
    out[o + 3] = 1;
    out.set(nal, o + 4);
    o += 4 + nal.length;
  }
  return out;
}
